// Several rows of one symbol on one day: intraday bars (MetaStock periodicity `I`, the 8-field format with a time
// field), which the EOD pipeline turns into daily bars, or duplicate daily rows, which it refuses with one line.
import { createColumnTable, isSharedTable } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'

/** A symbol whose rows share days. */
export interface SharedDays {
  /** The symbol. */
  symbol: string
  /** Its rows. */
  rows: number
  /** Its distinct days. */
  days: number
  /** Most rows on one day, and the first day with that many (days since 1970-01-01). */
  most: number
  mostOn: number
}

/**
 * The symbols of a table sorted by (symbol, date) that have more than one row on some day, in table order.
 * @param table - The table, sorted by (symbol, date).
 */
export function symbolsWithSharedDays(table: ColumnTable): SharedDays[] {
  const { symbol: sym, date } = table
  const out: SharedDays[] = []
  let i = 0
  while (i < table.length) {
    const code = sym[i]!
    let rows = 0
    let days = 0
    let most = 0
    let mostOn = 0
    while (i < table.length && sym[i] === code) {
      const day = date[i]!
      let k = 0
      while (i < table.length && sym[i] === code && date[i] === day) {
        k++
        i++
      }
      rows += k
      days++
      if (k > most) {
        most = k
        mostOn = day
      }
    }
    if (most > 1) out.push({ symbol: table.symbols[code]!, rows, days, most, mostOn })
  }
  return out
}

/**
 * Daily bars from intraday ones, rows of a day in time order: the first open, the highest high, the lowest low, the
 * last close, the summed volume and the last open interest. A table in shared memory gives a shared table.
 * @param table - The table, sorted by (symbol, date), each day's rows in time order.
 */
export function dailyBars(table: ColumnTable): ColumnTable {
  const { symbol: sym, date } = table
  let days = 0
  for (let i = 0; i < table.length; i++) if (i === 0 || sym[i] !== sym[i - 1] || date[i] !== date[i - 1]) days++
  const out = createColumnTable(days, {
    openInterest: table.openInterest !== null,
    shared: isSharedTable(table),
    symbols: table.symbols,
  })
  let r = -1
  for (let i = 0; i < table.length; i++) {
    if (i === 0 || sym[i] !== sym[i - 1] || date[i] !== date[i - 1]) {
      r++
      out.symbol[r] = sym[i]!
      out.date[r] = date[i]!
      out.open[r] = table.open[i]!
      out.high[r] = table.high[i]!
      out.low[r] = table.low[i]!
      out.volume[r] = 0
    }
    // NaN never wins a comparison: a missing high or low in one bar does not blank the day's.
    if (table.high[i]! > out.high[r]! || Number.isNaN(out.high[r]!)) out.high[r] = table.high[i]!
    if (table.low[i]! < out.low[r]! || Number.isNaN(out.low[r]!)) out.low[r] = table.low[i]!
    out.close[r] = table.close[i]!
    out.volume[r] = out.volume[r]! + table.volume[i]!
    if (out.openInterest !== null) out.openInterest[r] = table.openInterest![i]!
  }
  return out
}
