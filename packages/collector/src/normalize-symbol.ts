// Canonical ticker form. Sources disagree on class shares: the S&P list writes `BRK.B`, Yahoo Finance writes
// `BRK-B`, some vendors `BRK/B` or `BRK B`. The canonical form here is the dot, as in the shipped sp500 universe.

const CLASS_SHARE = /^([A-Z0-9]{1,10})[-/ ]([A-Z]{1,3})$/
const CANONICAL = /^[A-Z0-9]{1,10}(?:\.[A-Z]{1,3})?$/

/**
 * Canonical form of a ticker, or null when it is not one. Trims, upper-cases, and writes class shares with a dot:
 * `brk-b`, `BRK/B`, `BRK B` and `BRK.B` all become `BRK.B`. A ticker is 1-10 letters or digits, optionally followed by
 * a class suffix of 1-3 letters.
 * @param input - the symbol as written by a user or a file
 * @example normalizeSymbol(' brk-b ') // 'BRK.B'
 * @example normalizeSymbol('^GSPC') // null
 */
export function normalizeSymbol(input: string): string | null {
  const upper = input.trim().toUpperCase()
  if (CANONICAL.test(upper)) return upper
  const m = CLASS_SHARE.exec(upper)
  return m ? `${m[1]}.${m[2]}` : null
}
