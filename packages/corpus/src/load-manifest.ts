import { readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { CorpusManifestError } from './errors.ts'
import type { CorpusFile, CorpusManifest } from './types.ts'

/** The committed manifest, generated from the corpus PROVENANCE by `scripts/generate-manifest.ts`. */
export const MANIFEST_PATH: string = join(import.meta.dirname, '../corpus-manifest.json')

/**
 * Reads and validates a corpus manifest: every entry a relative path inside the corpus, an http(s) URL, a SHA-256 and
 * a size.
 * @param path - the manifest file
 * @default MANIFEST_PATH
 */
export function loadManifest(path: string = MANIFEST_PATH): CorpusManifest {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
    throw new CorpusManifestError(`corpus: manifest ${path} could not be read: ${why}`, { cause })
  }
  const files = (data as { files?: unknown } | null)?.files
  if ((data as { version?: unknown } | null)?.version !== 1 || !Array.isArray(files))
    throw new CorpusManifestError(`corpus: manifest ${path} is not a version-1 manifest ({ version: 1, files: [...] })`)
  const seen = new Set<string>()
  files.forEach((f: unknown, i) => {
    const problem = checkEntry(f)
    if (problem !== '') throw new CorpusManifestError(`corpus: manifest ${path} entry ${i}: ${problem}`)
    const { path: rel } = f as CorpusFile
    if (seen.has(rel)) throw new CorpusManifestError(`corpus: manifest ${path} entry ${i}: ${rel} is listed twice`)
    seen.add(rel)
  })
  return data as CorpusManifest
}

/** Why `f` is not a valid manifest entry, or '' when it is. */
function checkEntry(f: unknown): string {
  if (typeof f !== 'object' || f === null) return 'not an object'
  const e = f as Record<string, unknown>
  const rel = e['path']
  if (
    typeof rel !== 'string' ||
    rel === '' ||
    isAbsolute(rel) ||
    rel.split(/[\\/]/).some((s) => s === '..' || s === '')
  )
    return `path ${JSON.stringify(rel)} is not a relative path inside the corpus`
  if (typeof e['url'] !== 'string' || !/^https?:\/\/[^/]+\/./.test(e['url'])) return `${rel}: url is not an http(s) URL`
  if (typeof e['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(e['sha256']))
    return `${rel}: sha256 is not 64 lower-case hex digits`
  if (!Number.isSafeInteger(e['bytes']) || (e['bytes'] as number) < 0) return `${rel}: bytes is not a size`
  return ''
}
