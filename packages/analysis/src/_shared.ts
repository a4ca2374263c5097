// The table the workers read, in shared memory: the caller's when already shared, else a copy for this call.
// (Not cached across calls: a caller may change a plain table between calls, and a stale copy would go unnoticed.)
import { isSharedTable, toSharedTable } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

/** `table` itself when every column is SharedArrayBuffer-backed; otherwise a shared copy. */
export function sharedTable(table: ColumnTable): { table: ColumnTable; copied: boolean } {
  if (isSharedTable(table)) return { table, copied: false }
  return { table: toSharedTable(table), copied: true }
}
