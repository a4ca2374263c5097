// Builds small ColumnTables from per-symbol closes for hand-computed tests.
import { createColumnTable } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

/** One symbol's rows: closes (NaN allowed) and optional day numbers (default consecutive from day 100). */
export interface SymbolRows {
  symbol: string
  close: number[]
  date?: number[]
  high?: number[]
  low?: number[]
  volume?: number[]
}

/** A table sorted by (symbol, date) in the order given; high/low default to close * 1.01 / 0.99, volume to 1000. */
export function tableOf(rows: SymbolRows[], shared = false): ColumnTable {
  const n = rows.reduce((a, r) => a + r.close.length, 0)
  const t = createColumnTable(n, { shared, symbols: rows.map((r) => r.symbol) })
  let i = 0
  rows.forEach((r, code) => {
    r.close.forEach((c, j) => {
      t.symbol[i] = code
      t.date[i] = r.date?.[j] ?? 100 + j
      t.close[i] = c
      t.open[i] = c
      t.high[i] = r.high?.[j] ?? c * 1.01
      t.low[i] = r.low?.[j] ?? c * 0.99
      t.volume[i] = r.volume?.[j] ?? 1000
      i++
    })
  })
  return t
}
