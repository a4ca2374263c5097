import { createHash } from 'node:crypto'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { readParquet, writeParquet } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'
import type { TtlCache } from '@ttapi/cache'

/** What the cache keeps about a cached column file (the file itself lives beside the cache entries). */
export interface ColumnManifest {
  /** Layout version. */
  version: 1
  /** Fingerprint of the data directory the columns were imported from. */
  fingerprint: string
  /** The column file, relative to the columns directory. */
  file: string
  /** Its size in bytes. */
  bytes: number
  /** Rows. */
  rows: number
  /** Symbols. */
  symbols: number
  /** When it was written, ms since the epoch. */
  createdAt: number
}

/** A cached column table, or why there is none. */
export type ColumnCacheLookup =
  { state: 'hit'; table: ColumnTable; manifest: ColumnManifest } | { state: 'miss'; reason: string }

/** The directory holding column files inside a cache directory. */
export function columnsDir(cacheDir: string): string {
  return join(cacheDir, 'columns')
}

/** The cache key of the columns imported from a data directory. */
function manifestKey(dataDir: string): string {
  return `columns:${dataDir}`
}

/**
 * A fingerprint of a data directory: SHA-256 over every file's relative path, size and modification time (two
 * levels deep, as the importers read). Changing, adding or removing a file changes it, so cached columns go stale.
 * @param dataDir - The data directory.
 */
export async function dataFingerprint(dataDir: string): Promise<string> {
  const hash = createHash('sha256')
  const lines: string[] = []
  // Every stat of a directory at once: a MetaStock directory holds hundreds of files.
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true })
    await Promise.all(
      entries.map(async (e) => {
        const path = join(dir, e.name)
        if (e.isDirectory() && depth < 2) await walk(path, `${rel}${e.name}/`, depth + 1)
        else if (e.isFile()) {
          const s = await stat(path)
          lines.push(`${rel}${e.name}\0${s.size}\0${s.mtimeMs}\n`)
        }
      }),
    )
  }
  await walk(dataDir, '', 0)
  for (const line of lines.sort()) hash.update(line)
  return hash.digest('hex').slice(0, 32)
}

/**
 * Loads the columns cached for a data directory: a hit when the manifest is there, its fingerprint matches the
 * directory's and the column file reads back whole; otherwise a miss saying why (none, stale, corrupt).
 * @param cache - The cache holding the manifests.
 * @param cacheDir - The cache directory (column files live in `columns/`).
 * @param dataDir - The data directory the columns came from.
 * @param fingerprint - Its current fingerprint.
 * @param onRows - Told the row count from the manifest before the file is read (to start work that needs it).
 * @param into - A table whose columns to load into when they are large enough.
 */
export async function loadCachedColumns(
  cache: TtlCache,
  cacheDir: string,
  dataDir: string,
  fingerprint: string,
  onRows: (rows: number) => void = () => {},
  into?: ColumnTable,
): Promise<ColumnCacheLookup> {
  const manifest = await cache.get<ColumnManifest>(manifestKey(dataDir))
  if (manifest === undefined || manifest.version !== 1)
    return { state: 'miss', reason: 'no cached columns for this data directory' }
  if (manifest.fingerprint !== fingerprint) {
    return {
      state: 'miss',
      reason: `cached columns are stale: the data files changed after ${new Date(manifest.createdAt).toISOString()}`,
    }
  }
  const file = join(columnsDir(cacheDir), manifest.file)
  let size: number
  try {
    size = (await stat(file)).size
  } catch (error) {
    return {
      state: 'miss',
      reason: `cached column file ${file} is missing (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    }
  }
  if (size !== manifest.bytes) {
    return { state: 'miss', reason: `corrupt column cache: ${file} has ${size} bytes, ${manifest.bytes} were written` }
  }
  onRows(manifest.rows)
  let table: ColumnTable
  try {
    table = await readParquet(file, into === undefined ? { shared: true } : { shared: true, into })
  } catch (error) {
    return { state: 'miss', reason: `corrupt column cache: ${(error as Error).message}` }
  }
  if (table.length !== manifest.rows || table.symbols.length !== manifest.symbols) {
    return {
      state: 'miss',
      reason: `corrupt column cache: ${file} holds ${table.length} rows of ${table.symbols.length} symbols, ${manifest.rows} of ${manifest.symbols} were written`,
    }
  }
  return { state: 'hit', table, manifest }
}

/**
 * Writes the imported columns of a data directory to the cache: the column file (Parquet, uncompressed: it loads
 * straight into the columns; see README for the measurement), then its manifest; older column files of the same
 * directory are removed.
 * @param cache - The cache holding the manifests.
 * @param cacheDir - The cache directory.
 * @param dataDir - The data directory.
 * @param fingerprint - Its fingerprint at import time.
 * @param table - The imported table, sorted by (symbol, date).
 */
export async function storeCachedColumns(
  cache: TtlCache,
  cacheDir: string,
  dataDir: string,
  fingerprint: string,
  table: ColumnTable,
): Promise<ColumnManifest> {
  const dir = columnsDir(cacheDir)
  await mkdir(dir, { recursive: true })
  const stem = createHash('sha256').update(dataDir).digest('hex').slice(0, 16)
  const name = `${stem}-${fingerprint.slice(0, 16)}.parquet`
  const file = join(dir, name)
  await writeParquet(table, file, { compression: 'none' })
  const manifest: ColumnManifest = {
    version: 1,
    fingerprint,
    file: name,
    bytes: (await stat(file)).size,
    rows: table.length,
    symbols: table.symbols.length,
    createdAt: Date.now(),
  }
  await cache.set(manifestKey(dataDir), manifest, { ttl: Infinity })
  for (const old of await readdir(dir)) {
    if (old.startsWith(`${stem}-`) && old !== name) await rm(join(dir, old), { force: true })
  }
  return manifest
}
