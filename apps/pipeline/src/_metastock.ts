// The MetaStock side of the data directory: detection, import and writing, over columnar-io's MetaStock codec.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { importMetaStock, writeMetaStock } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

/**
 * Data bytes below which a one-shot process decodes a MetaStock directory on its own thread. The decoding workers
 * load tsx and the codec from source: in a fresh process on the 2-core VM the quick market (33 MB) took 549–863 ms
 * with them against 115–186 ms without (three runs each, alternating); at the thread's ~250 MB/s two workers win
 * their start back only from about 250 MB. A long-lived process keeps its workers, so it always uses them.
 */
const ONE_SHOT_WORKERS_MIN_BYTES = 256 << 20

/** The index files that make a directory a MetaStock one, lower-cased. */
const INDEX_NAMES = new Set(['master', 'emaster', 'xmaster'])

/**
 * True when `dir` holds a MetaStock index file: MASTER, EMASTER or XMASTER in any case (`Master`, `emaster`: exports
 * from case-insensitive file systems), as columnar-io's reader finds them.
 */
export async function isMetaStockDir(dir: string): Promise<boolean> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (
      INDEX_NAMES.has(e.name.toLowerCase()) &&
      (e.isFile() || (e.isSymbolicLink() && (await isFile(join(dir, e.name)))))
    )
      return true
  }
  return false
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/**
 * Imports one MetaStock directory (data files decoded on worker threads into shared columns, or into `into`'s); says
 * which symbols hold intraday bars (symbol → its file and why).
 * @param dir - The directory.
 * @param into - Kept column buffers to decode into, if large enough.
 * @param oneShot - The process ends after this import: below {@link ONE_SHOT_WORKERS_MIN_BYTES} no workers start.
 */
export async function readMetaStockDir(
  dir: string,
  into?: ColumnTable,
  oneShot = false,
): Promise<{ table: ColumnTable; issues: { file: string; message: string }[]; intraday: Map<string, string> }> {
  const workers = oneShot && (await dirBytes(dir)) < ONE_SHOT_WORKERS_MIN_BYTES ? { workers: 0 } : {}
  const { table, issues, files } = await importMetaStock(
    dir,
    into === undefined ? { recursive: false, ...workers } : { recursive: false, into, ...workers },
  )
  // Intraday securities: periodicity `I`, or the 8-field layout, whose second field is the time of day.
  const intraday = new Map<string, string>()
  for (const f of files) {
    if (f.periodicity.toUpperCase() === 'I' || f.fields === 8)
      intraday.set(f.symbol, `${f.file}: periodicity ${f.periodicity || '?'}, ${f.fields} fields`)
  }
  return { table, issues, intraday }
}

/** Bytes of the files directly in `dir` (an unreadable entry counts 0: the import names it). */
async function dirBytes(dir: string): Promise<number> {
  let bytes = 0
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isFile())
      bytes += await stat(join(dir, e.name)).then(
        (s) => s.size,
        () => 0,
      )
  }
  return bytes
}

/** Writes a table as a MetaStock directory (6 fields a record: date, open, high, low, close, volume). */
export function writeMetaStockDir(table: ColumnTable, dir: string): Promise<void> {
  writeMetaStock(dir, table)
  return Promise.resolve()
}
