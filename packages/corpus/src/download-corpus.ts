import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { REPO_ROOT } from './_repo-root.ts'
import { CorpusChecksumError, CorpusDownloadError, CorpusError, CorpusUsageError } from './errors.ts'
import { loadManifest } from './load-manifest.ts'
import { CORPUS_MARKER } from './locate-corpus.ts'
import type {
  CorpusFile,
  CorpusFileOutcome,
  CorpusManifest,
  DownloadCorpusOptions,
  DownloadCorpusResult,
} from './types.ts'

/** Statuses worth another attempt; any other non-2xx status fails the file at once. */
const RETRY_STATUSES = new Set([
  408, // request timeout
  429, // rate limited (raw.githubusercontent.com does this)
  500, // server error
  502, // bad gateway
  503, // unavailable
  504, // gateway timeout
])

/** Suffix of the file a download is written to before it is verified and renamed into place. */
export const PARTIAL_SUFFIX = '.part'

/**
 * Downloads every manifest file missing from (or wrong in) `dir`, verifying each SHA-256 before it is renamed into
 * place. A partial file (`<path>.part`) is resumed with an HTTP Range request; a file already present with the right
 * SHA-256 is left alone. The corpus marker (`PROVENANCE.sha256`) is written last, only when every file is verified.
 * Failures are returned per file, not thrown.
 * @param options - target folder, manifest, mirror, concurrency, attempts
 */
export async function downloadCorpus(options: DownloadCorpusOptions = {}): Promise<DownloadCorpusResult> {
  const concurrency = options.concurrency ?? 4
  const attempts = options.attempts ?? 3
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new CorpusUsageError(`corpus: expected \`concurrency\` to be an integer from 1 up, got \`${concurrency}\``)
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new CorpusUsageError(`corpus: expected \`attempts\` to be an integer from 1 up, got \`${attempts}\``)
  const baseUrl = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl)
  const manifest: CorpusManifest = options.manifest ?? loadManifest()
  const dir = resolve(options.dir ?? join(REPO_ROOT, '.corpus'))
  await mkdir(dir, { recursive: true })

  const result: DownloadCorpusResult = { dir, downloaded: 0, present: 0, bytesReceived: 0, failed: [] }
  const marker = join(dir, CORPUS_MARKER)
  let markerRemoved = false
  let next = 0
  const runner = async (): Promise<void> => {
    while (next < manifest.files.length) {
      const file = manifest.files[next++]!
      try {
        const target = join(dir, file.path)
        if (await hasContent(target, file)) {
          result.present++
          options.onFile?.(file, 'present')
          continue
        }
        // The marker promises a complete, verified folder: withdraw it while any file is being replaced.
        if (!markerRemoved) {
          markerRemoved = true
          await rm(marker, { force: true })
        }
        const url = baseUrl === undefined ? file.url : baseUrl + new URL(file.url).pathname
        const { outcome, received } = await fetchFile(file, target, url, attempts, options.signal)
        result.bytesReceived += received
        result.downloaded++
        options.onFile?.(file, outcome)
      } catch (error) {
        if (!(error instanceof CorpusError)) throw error
        result.failed.push({ file, error })
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, manifest.files.length) }, runner))
  if (result.failed.length === 0 && (markerRemoved || !existsSync(marker))) {
    const lines = manifest.files.map((f) => `${f.sha256}  ${f.path}\n`).join('')
    await writeDurably(marker, lines)
  }
  return result
}

/** `url` as a mirror origin without a trailing slash; throws a usage error when it is not an http(s) URL. */
function checkBaseUrl(url: string): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new CorpusUsageError(`corpus: expected \`baseUrl\` to be an http(s) URL, got \`${url}\``)
  return url.replace(/\/+$/, '')
}

/** True when `path` exists with the manifest's size and SHA-256. */
async function hasContent(path: string, file: CorpusFile): Promise<boolean> {
  const size = await stat(path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  )
  return size === file.bytes && sha256(await readFile(path)) === file.sha256
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Size of `path`, or 0 when it does not exist. */
async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  )
}

/** Fetches one file into `<target>.part` (resuming it when it exists), verifies it, and renames it to `target`. */
async function fetchFile(
  file: CorpusFile,
  target: string,
  url: string,
  attempts: number,
  signal: AbortSignal | undefined,
): Promise<{ outcome: CorpusFileOutcome; received: number }> {
  const part = target + PARTIAL_SUFFIX
  await mkdir(dirname(target), { recursive: true })
  let received = 0
  let resumed = false
  let lastProblem = ''
  let lastCause: unknown
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(100 * 2 ** (attempt - 2), undefined, { signal })
    const reply = await requestPart(file, part, url, signal)
    if (reply.state === 'failed') {
      lastProblem = reply.problem
      if (reply.cause !== undefined) lastCause = reply.cause
      if (reply.final) break
      continue
    }
    if (reply.state === 'body') {
      resumed ||= reply.resumed
      received += reply.bytes
      lastCause = reply.error
    }
    const size = await sizeOf(part)
    if (size < file.bytes) {
      lastProblem = `the connection ended after ${size} of ${file.bytes} bytes`
      continue
    }
    const got = sha256(await readFile(part))
    if (size === file.bytes && got === file.sha256) {
      await rename(part, target)
      await syncDir(dirname(target))
      return { outcome: resumed ? 'resumed' : 'downloaded', received }
    }
    await rm(part, { force: true })
    // A resumed file may have been spoiled by its earlier part: fetch it whole once more before refusing it.
    if (resumed && attempt < attempts) {
      resumed = false
      continue
    }
    throw new CorpusChecksumError(
      `corpus: ${file.path} from ${url} has SHA-256 ${got.slice(0, 16)}… (${size} bytes), not the manifest's ` +
        `${file.sha256.slice(0, 16)}… (${file.bytes} bytes); refused, nothing written`,
    )
  }
  throw new CorpusDownloadError(
    `corpus: ${file.path} could not be downloaded from ${url}: ${lastProblem} (after ${attempts} attempts` +
      `${existsSync(part) ? `; ${await sizeOf(part)} bytes kept in ${part} to resume` : ''})`,
    { cause: lastCause },
  )
}

/** What one request added to the partial file: its body, nothing because it was complete, or why it failed. */
type PartReply =
  | { state: 'body'; resumed: boolean; bytes: number; error: unknown }
  | { state: 'complete' }
  | { state: 'failed'; problem: string; cause?: unknown; final: boolean }

/** One request for what `part` still lacks (a Range request when it holds some), appended to it. */
async function requestPart(
  file: CorpusFile,
  part: string,
  url: string,
  signal: AbortSignal | undefined,
): Promise<PartReply> {
  let offset = await sizeOf(part)
  if (offset > file.bytes) {
    await rm(part, { force: true })
    offset = 0
  }
  const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {}
  let response: Response
  try {
    response = await fetch(url, { headers, signal: signal ?? null, redirect: 'follow' })
  } catch (cause) {
    if (signal?.aborted === true) throw cause
    return { state: 'failed', problem: `connection failed (${describe(cause)})`, cause, final: false }
  }
  if (response.status === 416 && offset === file.bytes) {
    // The partial file already holds every byte: only the verification was left.
    await response.body?.cancel()
    return { state: 'complete' }
  }
  if (response.status === 206 && offset > 0 && contentRangeStart(response) === offset) {
    const body = await appendBody(response, part, true)
    return { state: 'body', resumed: true, bytes: body.bytes, error: body.error }
  }
  if (response.status === 200) {
    // A server that ignores Range sends the whole file: start the partial file over.
    const body = await appendBody(response, part, false)
    return { state: 'body', resumed: false, bytes: body.bytes, error: body.error }
  }
  await response.body?.cancel()
  if (response.status === 206 || response.status === 416) {
    await rm(part, { force: true })
    return { state: 'failed', problem: `HTTP ${response.status} to a range request from byte ${offset}`, final: false }
  }
  const problem = `HTTP ${response.status} ${response.statusText}`.trimEnd()
  return { state: 'failed', problem, final: !RETRY_STATUSES.has(response.status) }
}

/** The first byte of a 206 response's Content-Range, or -1. */
function contentRangeStart(response: Response): number {
  const m = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')
  return m === null ? -1 : Number(m[1])
}

/**
 * Streams the body into `part` (appending or from scratch) and fsyncs it. A broken connection is returned, not
 * thrown: whatever arrived is kept durably, so the next attempt (or run) resumes after it.
 */
async function appendBody(
  response: Response,
  part: string,
  append: boolean,
): Promise<{ bytes: number; error: unknown }> {
  const handle = await open(part, append ? 'a' : 'w')
  let bytes = 0
  let error: unknown
  try {
    if (response.body !== null)
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        await handle.write(chunk)
        bytes += chunk.byteLength
      }
  } catch (cause) {
    error = cause
  } finally {
    await handle.sync()
    await handle.close()
  }
  return { bytes, error }
}

/** Writes `text` to a temp file, fsyncs it and renames it over `path`. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  const handle = await open(temp, 'w')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, path)
  await syncDir(dirname(path))
}

/** Makes a rename in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function describe(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause
  return inner instanceof Error ? inner.message : String(inner)
}
