import type { Quote, QuoteColumns } from './types.ts'

const NUMERIC = ['time', 'last', 'open', 'high', 'low', 'close', 'previousClose', 'volume'] as const

/**
 * Stores quotes as columns (one `Float64Array` per field): the cache writes them without copying and
 * reads them back as views. A null `bid`/`ask` becomes NaN (a collected quote never holds NaN).
 * @param quotes - Quotes in order.
 */
export function quotesToColumns(quotes: readonly Quote[]): QuoteColumns {
  const n = quotes.length
  // One allocation for all ten columns: fresh memory is slow to touch on this class of VM.
  const block = new Float64Array(n * 10)
  const col = (i: number): Float64Array => block.subarray(i * n, (i + 1) * n)
  const columns: QuoteColumns = {
    version: 1,
    length: n,
    symbol: new Array<string>(n),
    time: col(0),
    bid: col(1),
    ask: col(2),
    last: col(3),
    open: col(4),
    high: col(5),
    low: col(6),
    close: col(7),
    previousClose: col(8),
    volume: col(9),
  }
  // Field by field, not through a key list: keyed access in the loop is several times slower.
  const { symbol, time, bid, ask, last, open, high, low, close, previousClose, volume } = columns
  for (let i = 0; i < n; i++) {
    const q = quotes[i]!
    symbol[i] = q.symbol
    time[i] = q.time
    bid[i] = q.bid ?? NaN
    ask[i] = q.ask ?? NaN
    last[i] = q.last
    open[i] = q.open
    high[i] = q.high
    low[i] = q.low
    close[i] = q.close
    previousClose[i] = q.previousClose
    volume[i] = q.volume
  }
  return columns
}

/**
 * Rebuilds quote objects from columns (the inverse of {@link quotesToColumns}).
 * @param columns - Columns as stored.
 */
export function columnsToQuotes(columns: QuoteColumns): Quote[] {
  const { length, symbol, time, bid, ask, last, open, high, low, close, previousClose, volume } = columns
  const quotes = new Array<Quote>(length)
  for (let i = 0; i < length; i++) {
    const b = bid[i]!
    const a = ask[i]!
    quotes[i] = {
      symbol: symbol[i]!,
      time: time[i]!,
      bid: Number.isNaN(b) ? null : b,
      ask: Number.isNaN(a) ? null : a,
      last: last[i]!,
      open: open[i]!,
      high: high[i]!,
      low: low[i]!,
      close: close[i]!,
      previousClose: previousClose[i]!,
      volume: volume[i]!,
    }
  }
  return quotes
}

/** True when `value` has the shape of {@link QuoteColumns} version 1 (a cached entry from this code). */
export function isQuoteColumns(value: unknown): value is QuoteColumns {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<QuoteColumns>
  if (v.version !== 1 || typeof v.length !== 'number' || !Array.isArray(v.symbol) || v.symbol.length !== v.length) {
    return false
  }
  for (const field of [...NUMERIC, 'bid', 'ask'] as const) {
    const column = v[field]
    if (!(column instanceof Float64Array) || column.length !== v.length) return false
  }
  return true
}
