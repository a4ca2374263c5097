import { closeSync, openSync, writeSync } from 'node:fs'
import type { ColumnTable, WriteCsvOptions } from '../types.ts'
import { isoDate } from '../_calendar.ts'

/** Text of a number in a CSV field; NaN is an empty field. */
function num(v: number): string {
  return Number.isNaN(v) ? '' : String(v)
}

/** Quotes a symbol when it holds the delimiter, a quote or a line break. */
function quote(s: string, delim: string): string {
  return s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replaceAll('"', '""')}"`
    : s
}

/**
 * Writes a column table as one CSV file with the header `symbol,date,open,high,low,close,volume[,open_interest]`,
 * ISO dates and shortest round-trip numbers (so `readCsv` gives back the same values). Used for fixtures and export.
 * @param table - the rows to write
 * @param path - the file to create or replace
 * @param options - delimiter and line ending
 */
export function writeCsv(table: ColumnTable, path: string, options: WriteCsvOptions = {}): void {
  const d = options.delimiter ?? ','
  const eol = options.crlf === true ? '\r\n' : '\n'
  const { symbols, symbol, date, open, high, low, close, volume, openInterest } = table
  const quoted = symbols.map((s) => quote(s, d))
  const fd = openSync(path, 'w')
  try {
    const cols = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume']
    if (openInterest !== null) cols.push('open_interest')
    writeSync(fd, cols.join(d) + eol)
    const step = 65536
    for (let start = 0; start < table.length; start += step) {
      const end = Math.min(table.length, start + step)
      const lines: string[] = []
      for (let i = start; i < end; i++) {
        let line = `${quoted[symbol[i]!]}${d}${isoDate(date[i]!)}${d}${num(open[i]!)}${d}${num(high[i]!)}${d}${num(low[i]!)}${d}${num(close[i]!)}${d}${num(volume[i]!)}`
        if (openInterest !== null) line += d + num(openInterest[i]!)
        lines.push(line)
      }
      writeSync(fd, lines.join(eol) + eol)
    }
  } finally {
    closeSync(fd)
  }
}
