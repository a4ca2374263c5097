// TEMPORARY until @ttapi/columnar-io exports symbolRanges.
import type { ColumnTable } from '../../columnar-io/src/types.ts'

/** Row ranges of the symbols present in a table, in table order. */
export interface Ranges {
  codes: Int32Array
  starts: Int32Array
  ends: Int32Array
}

export function tableSymbolRanges(table: ColumnTable): Ranges {
  const codes: number[] = []
  const starts: number[] = []
  const ends: number[] = []
  const sym = table.symbol
  let i = 0
  while (i < table.length) {
    const c = sym[i]!
    let j = i + 1
    while (j < table.length && sym[j] === c) j++
    codes.push(c)
    starts.push(i)
    ends.push(j)
    i = j
  }
  return { codes: Int32Array.from(codes), starts: Int32Array.from(starts), ends: Int32Array.from(ends) }
}
