// Builds small ColumnTables from per-symbol closes for hand-computed tests.
import type { ColumnTable } from '../../columnar-io/src/types.ts'

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
  const f = (): Float64Array => new Float64Array(shared ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8))
  const i32 = (): Int32Array => new Int32Array(shared ? new SharedArrayBuffer(n * 4) : new ArrayBuffer(n * 4))
  const t: ColumnTable = {
    length: n,
    symbols: rows.map((r) => r.symbol),
    symbol: i32(),
    date: i32(),
    open: f(),
    high: f(),
    low: f(),
    close: f(),
    volume: f(),
    openInterest: null,
  }
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
