// Adapter over columnar-io's MetaStock reader (pending: columnar-io has not exported one yet).
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
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

/** Reads a MetaStock directory. */
export function readMetaStockDir(
  dir: string,
): Promise<{ table: ColumnTable; issues: { file: string; message: string }[] }> {
  return Promise.reject(new Error(`metastock: no MetaStock reader available to read ${dir}`))
}

/** Writes a table as a MetaStock directory. */
export function writeMetaStockDir(_table: ColumnTable, dir: string): Promise<void> {
  return Promise.reject(new Error(`metastock: no MetaStock writer available to write ${dir}`))
}
