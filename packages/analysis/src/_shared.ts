// The columns the workers read, in shared memory. TEMPORARY copy until @ttapi/columnar-io exports toSharedTable.
import type { ColumnTable } from '../../columnar-io/src/types.ts'
import type { AnalyzeColumns } from './_analyze-range.ts'

const cache = new WeakMap<ColumnTable, AnalyzeColumns>()

function isShared(a: Int32Array | Float64Array): boolean {
  return a.buffer instanceof SharedArrayBuffer
}

/** The table's columns when all are shared; otherwise a shared copy, made once per table. */
export function sharedColumns(
  table: ColumnTable,
  columns: AnalyzeColumns,
): { columns: AnalyzeColumns; copied: boolean } {
  if (
    isShared(columns.date) &&
    isShared(columns.high) &&
    isShared(columns.low) &&
    isShared(columns.close) &&
    isShared(columns.volume)
  ) {
    return { columns, copied: false }
  }
  const cached = cache.get(table)
  if (cached !== undefined) return { columns: cached, copied: true }
  const n = table.length
  const f = (a: Float64Array): Float64Array => {
    const s = new Float64Array(new SharedArrayBuffer(n * 8))
    s.set(a.subarray(0, n))
    return s
  }
  const date = new Int32Array(new SharedArrayBuffer(n * 4))
  date.set(columns.date.subarray(0, n))
  const copy = { date, high: f(columns.high), low: f(columns.low), close: f(columns.close), volume: f(columns.volume) }
  cache.set(table, copy)
  return { columns: copy, copied: true }
}
