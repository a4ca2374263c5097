// Column allocation and small helpers shared by the CSV readers.
import { basename } from 'node:path'
import type { ColumnTable } from '../types.ts'
import type { RowSink } from './_parse-rows.ts'

/** New columns for `n` rows, in SharedArrayBuffers when `shared`. */
export function allocSink(n: number, openInterest: boolean, shared: boolean): RowSink {
  const f64 = (): Float64Array =>
    shared ? new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8), 0, n) : new Float64Array(n)
  const i32 = (): Int32Array =>
    shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n) : new Int32Array(n)
  return {
    symbol: i32(),
    date: i32(),
    open: f64(),
    high: f64(),
    low: f64(),
    close: f64(),
    volume: f64(),
    openInterest: openInterest ? f64() : null,
  }
}

/** A column table over the first `n` rows of `sink` (views, no copy). */
export function sinkTable(sink: RowSink, n: number, symbols: string[]): ColumnTable {
  return {
    length: n,
    symbols,
    symbol: sink.symbol.subarray(0, n),
    date: sink.date.subarray(0, n),
    open: sink.open.subarray(0, n),
    high: sink.high.subarray(0, n),
    low: sink.low.subarray(0, n),
    close: sink.close.subarray(0, n),
    volume: sink.volume.subarray(0, n),
    openInterest: sink.openInterest === null ? null : sink.openInterest.subarray(0, n),
  }
}

/** Moves rows `[from, from + n)` to `to` in every column. */
export function moveRows(sink: RowSink, to: number, from: number, n: number): void {
  if (to === from || n === 0) return
  for (const col of [sink.symbol, sink.date, sink.open, sink.high, sink.low, sink.close, sink.volume]) {
    col.copyWithin(to, from, from + n)
  }
  sink.openInterest?.copyWithin(to, from, from + n)
}

/** Upper bound on the records in `b[from, end)`: its line feeds, plus one for a last line without one. */
export function countLines(b: Uint8Array, from: number, end: number): number {
  let n = 0
  for (let i = from; i < end; i++) if (b[i] === 10) n++
  if (end > from && b[end - 1] !== 10) n++
  return n
}

/** The symbol a file stands for when it has no symbol column: `AAPL_data.csv` → `AAPL`, `SPY_D.csv` → `SPY`. */
export function symbolFromPath(path: string): string {
  const base = basename(path).replace(/\.(csv|txt|tsv)$/i, '')
  const cut = base.indexOf('_')
  return cut > 0 ? base.slice(0, cut) : base
}
