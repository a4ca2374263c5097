// The MetaStock side of the data directory: detection, import and writing, over columnar-io's MetaStock codec.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { importMetaStock, writeMetaStock } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

/** True when `dir` holds a MetaStock index file (MASTER, EMASTER or XMASTER). */
export async function isMetaStockDir(dir: string): Promise<boolean> {
  for (const name of ['MASTER', 'EMASTER', 'XMASTER']) {
    try {
      if ((await stat(join(dir, name))).isFile()) return true
    } catch {
      // absent: try the next index file
    }
  }
  return false
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
