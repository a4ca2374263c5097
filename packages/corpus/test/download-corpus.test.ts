import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CORPUS_MARKER,
  CorpusChecksumError,
  CorpusDownloadError,
  downloadCorpus,
  loadManifest,
  locateCorpus,
  type CorpusFile,
  type CorpusManifest,
} from '../src/index.ts'
import { startMirror, type Mirror, type MirrorFile } from './_mirror.ts'

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const ORIGIN = 'https://raw.githubusercontent.com'
const CLI = join(import.meta.dirname, '../src/cli.ts')

let tmp: string
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'corpus-dl-'))
})
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true })
})

/** Files of a small synthetic corpus, their manifest, and a mirror serving them with the given faults. */
async function setup(faults: Record<string, Partial<MirrorFile>> = {}, sizes: Record<string, number> = {}) {
  const names = { 'csv/a.csv': 70_000, 'parquet/sub/b.parquet': 150_000, 'metastock/x/Master': 1_000, ...sizes }
  const bodies = new Map<string, Uint8Array>()
  const files: CorpusFile[] = []
  const served = new Map<string, MirrorFile>()
  for (const [path, size] of Object.entries(names)) {
    const body = new Uint8Array(randomBytes(size))
    bodies.set(path, body)
    const urlPath = `/owner/repo/${'a'.repeat(40)}/${path}`
    files.push({ path, url: ORIGIN + urlPath, sha256: sha(body), bytes: size, source: 'owner/repo', notes: '' })
    served.set(urlPath, { body, ...faults[path] })
  }
  const manifest: CorpusManifest = { version: 1, files }
  const mirror = await startMirror(served)
  const dir = join(tmp, 'corpus')
  return { manifest, mirror, dir, bodies, urlOf: (p: string) => `/owner/repo/${'a'.repeat(40)}/${p}` }
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}

describe('downloadCorpus', () => {
  let mirror: Mirror | undefined
  afterEach(async () => {
    await mirror?.close()
    mirror = undefined
  })

  it('downloads every file from the mirror, verifies it, writes the marker, and then finds it with locateCorpus', async () => {
    const s = await setup()
    mirror = s.mirror
    const r = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect(r.failed).toEqual([])
    expect([r.downloaded, r.present, r.bytesReceived]).toEqual([3, 0, 221_000])
    for (const [p, body] of s.bodies) expect(sha(readFileSync(join(s.dir, p))), p).toBe(sha(body))
    expect(tree(s.dir)).toEqual([CORPUS_MARKER, 'csv/a.csv', 'metastock/x/Master', 'parquet/sub/b.parquet'])
    // The marker is sha256sum's format: `sha256sum -c` in the folder checks the download.
    expect(readFileSync(join(s.dir, CORPUS_MARKER), 'utf8').split('\n')[0]).toBe(
      `${s.manifest.files[0]!.sha256}  csv/a.csv`,
    )
    // A repository whose only corpus is .corpus/ finds it there.
    const root = join(tmp, 'repo')
    mkdirSync(root)
    const again = await downloadCorpus({ manifest: s.manifest, dir: join(root, '.corpus'), baseUrl: s.mirror.url })
    expect(again.failed).toEqual([])
    expect(locateCorpus({ env: undefined, root }).dir).toBe(join(root, '.corpus'))
  })

  it('skips files already present with the right SHA-256, and replaces one with the wrong content', async () => {
    const s = await setup()
    mirror = s.mirror
    await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    writeFileSync(join(s.dir, 'csv/a.csv'), new Uint8Array(70_000)) // same size, wrong bytes
    const r = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect([r.downloaded, r.present, r.failed.length]).toEqual([1, 2, 0])
    expect(s.mirror.requests.get(s.urlOf('parquet/sub/b.parquet'))).toHaveLength(1)
    expect(s.mirror.requests.get(s.urlOf('csv/a.csv'))).toHaveLength(2)
    expect(sha(readFileSync(join(s.dir, 'csv/a.csv')))).toBe(sha(s.bodies.get('csv/a.csv')!))
  })

  it('refuses a file whose SHA-256 is wrong, naming it, leaving nothing at its path and no marker', async () => {
    const s = await setup()
    mirror = s.mirror
    const manifest = structuredClone(s.manifest)
    manifest.files.find((f) => f.path === 'parquet/sub/b.parquet')!.sha256 = '0'.repeat(64)
    const r = await downloadCorpus({ manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect(r.failed.map((f) => f.file.path)).toEqual(['parquet/sub/b.parquet'])
    const err = r.failed[0]!.error
    expect(err).toBeInstanceOf(CorpusChecksumError)
    expect(err.message).toMatch(
      /^corpus: parquet\/sub\/b\.parquet from http:\/\/127\.0\.0\.1:\d+\/\S+ has SHA-256 [0-9a-f]{16}… \(150000 bytes\), not the manifest's 0{16}… \(150000 bytes\); refused, nothing written$/,
    )
    expect(err.message).not.toContain('\n')
    expect(tree(s.dir)).toEqual(['csv/a.csv', 'metastock/x/Master'])
  })

  it('resumes a download cut mid-body with a Range request and gets the exact bytes', async () => {
    const s = await setup({ 'parquet/sub/b.parquet': { cutAfter: 60_000 } })
    mirror = s.mirror
    const outcomes: string[] = []
    const r = await downloadCorpus({
      manifest: s.manifest,
      dir: s.dir,
      baseUrl: s.mirror.url,
      onFile: (f, o) => outcomes.push(`${f.path}:${o}`),
    })
    expect(r.failed).toEqual([])
    expect(outcomes).toContain('parquet/sub/b.parquet:resumed')
    const log = s.mirror.requests.get(s.urlOf('parquet/sub/b.parquet'))!
    expect(log[0]).toBe('-')
    expect(log[1]).toMatch(/^bytes=\d+-$/)
    expect(Number(/\d+/.exec(log[1]!)![0])).toBeGreaterThan(0)
    expect(sha(readFileSync(join(s.dir, 'parquet/sub/b.parquet')))).toBe(sha(s.bodies.get('parquet/sub/b.parquet')!))
  })

  it('keeps a partial file when every attempt is cut, and the next run resumes it', async () => {
    const s = await setup({ 'parquet/sub/b.parquet': { cutAfter: 40_000, cutTimes: 2 } })
    mirror = s.mirror
    const first = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url, attempts: 2 })
    expect(first.failed.map((f) => f.error)).toHaveLength(1)
    expect(first.failed[0]!.error).toBeInstanceOf(CorpusDownloadError)
    expect(first.failed[0]!.error.message).toMatch(
      /^corpus: parquet\/sub\/b\.parquet could not be downloaded from \S+: the connection ended after \d+ of 150000 bytes \(after 2 attempts; \d+ bytes kept in \S+b\.parquet\.part to resume\)$/,
    )
    expect(existsSync(join(s.dir, 'parquet/sub/b.parquet'))).toBe(false)
    expect(existsSync(join(s.dir, CORPUS_MARKER))).toBe(false)
    const second = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect([second.failed.length, second.downloaded, second.present]).toEqual([0, 1, 2])
    // Resumed: the third request asks for the bytes after the ones kept, and fewer than the file are received.
    expect(s.mirror.requests.get(s.urlOf('parquet/sub/b.parquet'))![2]).toMatch(/^bytes=\d+-$/)
    expect(second.bytesReceived).toBeLessThan(150_000)
    expect(sha(readFileSync(join(s.dir, 'parquet/sub/b.parquet')))).toBe(sha(s.bodies.get('parquet/sub/b.parquet')!))
    expect(tree(s.dir)).toContain(CORPUS_MARKER)
  })

  it('starts over when the server ignores Range, and when the kept part is spoiled', async () => {
    const s = await setup({ 'csv/a.csv': { ignoreRange: true } })
    mirror = s.mirror
    mkdirSync(join(s.dir, 'csv'), { recursive: true })
    mkdirSync(join(s.dir, 'parquet/sub'), { recursive: true })
    writeFileSync(join(s.dir, 'csv/a.csv.part'), s.bodies.get('csv/a.csv')!.subarray(0, 1000))
    // A part whose bytes are not the file's beginning: the resumed file fails verification, then is fetched whole.
    writeFileSync(join(s.dir, 'parquet/sub/b.parquet.part'), new Uint8Array(5000))
    const r = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect(r.failed).toEqual([])
    expect(s.mirror.requests.get(s.urlOf('parquet/sub/b.parquet'))).toEqual(['bytes=5000-', '-'])
    for (const [p, body] of s.bodies) expect(sha(readFileSync(join(s.dir, p))), p).toBe(sha(body))
    expect(tree(s.dir).filter((f) => f.endsWith('.part'))).toEqual([])
  })

  it('retries a 503 and then gets the file', async () => {
    const s = await setup({ 'csv/a.csv': { status: 503, statusTimes: 2 } })
    mirror = s.mirror
    const r = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect(r.failed).toEqual([])
    expect(s.mirror.requests.get(s.urlOf('csv/a.csv'))).toHaveLength(3)
    expect(sha(readFileSync(join(s.dir, 'csv/a.csv')))).toBe(sha(s.bodies.get('csv/a.csv')!))
  })

  it('fails a 404 at once, naming the file and the status', async () => {
    const s = await setup({ 'csv/a.csv': { status: 404 } })
    mirror = s.mirror
    const r = await downloadCorpus({ manifest: s.manifest, dir: s.dir, baseUrl: s.mirror.url })
    expect(r.failed[0]!.error.message).toMatch(
      /^corpus: csv\/a\.csv could not be downloaded from \S+: HTTP 404 Not Found \(after 3 attempts\)$/,
    )
    expect(s.mirror.requests.get(s.urlOf('csv/a.csv'))).toHaveLength(1)
  })
})

describe('pnpm corpus (the CLI)', () => {
  // Asynchronous: the mirror answers from this same process.
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string; err: string }>((ok) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', CLI, ...args],
        { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 },
        (error, out, err) => ok({ code: error === null ? 0 : Number(error.code), out, err }),
      )
    })

  it('exits 0 when every file is placed, 1 on a checksum failure (one line naming the file), 2 on usage', async () => {
    const s = await setup()
    try {
      const manifestPath = join(tmp, 'manifest.json')
      writeFileSync(manifestPath, JSON.stringify(s.manifest))
      const ok = await run(['--manifest', manifestPath, '--dir', s.dir], { TTAPI_CORPUS_BASE_URL: s.mirror.url })
      expect([ok.code, ok.err]).toEqual([0, ''])
      expect(ok.out).toMatch(/^corpus: 3 files in \S+: 3 downloaded, 0 already present, 0\.22 MB received\n$/)
      const again = await run(['--manifest', manifestPath, '--dir', s.dir, '--base-url', s.mirror.url])
      expect(again.out).toMatch(/3 files in \S+: 0 downloaded, 3 already present, 0\.00 MB received/)

      const bad = structuredClone(s.manifest)
      bad.files[0]!.sha256 = 'f'.repeat(64)
      bad.files[0]!.path = 'csv/other.csv'
      writeFileSync(manifestPath, JSON.stringify(bad))
      const failed = await run(['--manifest', manifestPath, '--dir', s.dir, '--base-url', s.mirror.url])
      expect(failed.code).toBe(1)
      const lines = failed.err.trimEnd().split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(/^corpus: csv\/other\.csv from \S+ has SHA-256 .* refused, nothing written$/)
      expect(lines[1]).toMatch(
        /^corpus: 1 of 3 files in \S+: 0 downloaded, 2 already present, .*; run again to resume$/,
      )
      expect(existsSync(join(s.dir, 'csv/other.csv'))).toBe(false)
    } finally {
      await s.mirror.close()
    }
  })

  it('exits 2 with one line for usage and manifest errors', async () => {
    for (const [args, want] of [
      [['--nope'], /^corpus: Unknown option '--nope' \(see pnpm corpus --help\)\n$/],
      [
        ['--concurrency', '0'],
        /^corpus: --concurrency must be an integer from 1 up, got `0` \(see pnpm corpus --help\)\n$/,
      ],
      [['--base-url', 'ftp://x'], /^corpus: --base-url must be an http\(s\) URL, got `ftp:\/\/x`/],
      [['--manifest', join(tmp, 'none.json')], /^corpus: manifest \S+none\.json could not be read: ENOENT[^\n]*\n$/],
    ] as const) {
      const r = await run([...args, '--dir', join(tmp, 'd')])
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringMatching(want)])
    }
    writeFileSync(
      join(tmp, 'evil.json'),
      JSON.stringify({ version: 1, files: [{ path: '../x', url: 'http://a/b', sha256: '0'.repeat(64), bytes: 1 }] }),
    )
    const evil = await run(['--manifest', join(tmp, 'evil.json')])
    expect([evil.code, evil.err]).toEqual([
      2,
      expect.stringMatching(/entry 0: path "\.\.\/x" is not a relative path inside the corpus\n$/),
    ])
    expect((await run(['--help'])).code).toBe(0)
  })
})

describe('the committed manifest', () => {
  it('lists the 536 PROVENANCE files as raw URLs at 40-hex commits, sorted, with sizes and SHA-256', () => {
    const m = loadManifest()
    expect(m.files).toHaveLength(536)
    // PROVENANCE.md: "Total: 536 files, 5,001,466 bytes".
    expect(m.files.reduce((n, f) => n + f.bytes, 0)).toBe(5_001_466)
    for (const f of m.files)
      expect(f.url, f.path).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[\w.-]+\/[\w.-]+\/[0-9a-f]{40}\/\S+$/)
    expect(m.files.map((f) => f.path)).toEqual(m.files.map((f) => f.path).sort())
  })

  const shared = locateCorpus({ env: undefined })
  it.skipIf(shared.dir === undefined || !shared.dir.endsWith('shared/corpus'))(
    "carries each file's PROVENANCE.md row: its upstream path in the URL, its size and its notes",
    () => {
      const rows = new Set(readFileSync(join(shared.dir!, 'PROVENANCE.md'), 'utf8').split('\n'))
      for (const f of loadManifest().files) {
        const upstream = decodeURIComponent(f.url.split('/').slice(6).join('/'))
        const blob = [...rows].find((r) => r.startsWith(`| \`${f.path}\` | \`${upstream}\` | `))
        expect(blob, f.path).toBeDefined()
        expect(blob!.endsWith(` | ${f.notes} |`), f.path).toBe(true)
        expect(blob!.split(' | ')[2]!.replaceAll(',', ''), f.path).toBe(String(f.bytes))
      }
    },
  )

  it.skipIf(shared.dir === undefined || !shared.dir.endsWith('shared/corpus'))(
    'downloads the whole manifest from a mirror of the shared corpus, every file verified',
    async () => {
      const corpus = shared.dir!
      const served = new Map<string, MirrorFile>()
      for (const f of loadManifest().files)
        served.set(decodeURIComponent(new URL(f.url).pathname), { body: readFileSync(join(corpus, f.path)) })
      const mirror = await startMirror(served)
      try {
        const r = await downloadCorpus({ dir: join(tmp, '.corpus'), baseUrl: mirror.url })
        expect([r.failed.length, r.downloaded, r.bytesReceived]).toEqual([0, 536, 5_001_466])
        expect(readFileSync(join(tmp, '.corpus', CORPUS_MARKER), 'utf8')).toBe(
          readFileSync(join(corpus, CORPUS_MARKER), 'utf8'),
        )
        expect(dirname(locateCorpus({ env: join(tmp, '.corpus') }).dir!)).toBe(tmp)
      } finally {
        await mirror.close()
      }
    },
  )
})
