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

/** Imports one MetaStock directory (data files decoded on worker threads into shared columns, or into `into`'s). */
export async function readMetaStockDir(
  dir: string,
  into?: ColumnTable,
): Promise<{ table: ColumnTable; issues: { file: string; message: string }[] }> {
  const { table, issues } = await importMetaStock(
    dir,
    into === undefined ? { recursive: false } : { recursive: false, into },
  )
  return { table, issues }
}

/** Writes a table as a MetaStock directory (6 fields a record: date, open, high, low, close, volume). */
export function writeMetaStockDir(table: ColumnTable, dir: string): Promise<void> {
  writeMetaStock(dir, table)
  return Promise.resolve()
}
