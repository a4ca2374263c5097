// The MetaStock side of the data directory: detection, import and writing, over columnar-io's MetaStock codec.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { importMetaStock, writeMetaStock } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

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
 */
export async function readMetaStockDir(
  dir: string,
  into?: ColumnTable,
): Promise<{ table: ColumnTable; issues: { file: string; message: string }[]; intraday: Map<string, string> }> {
  const { table, issues, files } = await importMetaStock(
    dir,
    into === undefined ? { recursive: false } : { recursive: false, into },
  )
  // Intraday securities: periodicity `I`, or the 8-field layout, whose second field is the time of day.
  const intraday = new Map<string, string>()
  for (const f of files) {
    if (f.periodicity.toUpperCase() === 'I' || f.fields === 8)
      intraday.set(f.symbol, `${f.file}: periodicity ${f.periodicity || '?'}, ${f.fields} fields`)
  }
  return { table, issues, intraday }
}

/** Writes a table as a MetaStock directory (6 fields a record: date, open, high, low, close, volume). */
export function writeMetaStockDir(table: ColumnTable, dir: string): Promise<void> {
  writeMetaStock(dir, table)
  return Promise.resolve()
}
