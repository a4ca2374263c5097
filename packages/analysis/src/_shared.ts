// The table the workers read, in shared memory: the caller's when already shared, else one copy per table.
import { isSharedTable, toSharedTable } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

const copies = new WeakMap<ColumnTable, ColumnTable>()

/** `table` itself when every column is SharedArrayBuffer-backed; otherwise its shared copy, made once per table. */
export function sharedTable(table: ColumnTable): { table: ColumnTable; copied: boolean } {
  if (isSharedTable(table)) return { table, copied: false }
  let copy = copies.get(table)
  if (copy === undefined) {
    copy = toSharedTable(table)
    copies.set(table, copy)
  }
  return { table: copy, copied: true }
}
