/**
 * The OHLCV column table every package shares. Row i is (symbols[symbol[i]], date[i], open[i], ...).
 * Columns may be backed by SharedArrayBuffer so worker threads read them without copying.
 */
export interface ColumnTable {
  /** Number of rows. */
  length: number
  /** The symbol dictionary: `symbol[i]` indexes into it. */
  symbols: string[]
  /** Dictionary code of each row's symbol. */
  symbol: Int32Array
  /** Trading day of each row, as whole days since 1970-01-01 (UTC). */
  date: Int32Array
  open: Float64Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
  /** Open interest, when the source has it; null otherwise. */
  openInterest: Float64Array | null
}
