// Quotes from the deterministic synthetic market. TEMPORARY local bars until @ttapi/columnar-io's syntheticBars lands.
import { hash01 } from './_hash.ts'
import type { Quote } from './types.ts'

const DAY_MS = 86_400_000
const CLOSE_HOUR_UTC = 21

function bars(seed: number, symbol: string, days: number, endDay: number) {
  const open = new Float64Array(days)
  const high = new Float64Array(days)
  const low = new Float64Array(days)
  const close = new Float64Array(days)
  const volume = new Float64Array(days)
  for (let i = 0; i < days; i++) {
    const d = endDay - days + 1 + i
    const base = 20 + 400 * hash01(seed, symbol, -1)
    const c = base * (1 + 0.2 * Math.sin(d / 30 + hash01(seed, symbol, -2) * 6))
    const o = c * (1 + 0.02 * (hash01(seed, symbol, d * 3) - 0.5))
    close[i] = c
    open[i] = o
    high[i] = Math.max(o, c) * (1 + 0.01 * hash01(seed, symbol, d * 3 + 1))
    low[i] = Math.min(o, c) * (1 - 0.01 * hash01(seed, symbol, d * 3 + 2))
    volume[i] = 1e5 + Math.floor(1e7 * hash01(seed, symbol, d * 3 + 3))
  }
  return { open, high, low, close, volume }
}

const cents = (x: number): number => Math.round(x * 100) / 100

/**
 * The quote of `symbol` on `day` (days since 1970-01-01 UTC) for `seed`: the day's bar rounded to cents (rounding is
 * monotone, so high >= max(open, close) and low <= min(open, close) survive it), last = close, previous close from the
 * day before, and a bid/ask one to two cents either side of last.
 */
export function syntheticQuote(seed: number, symbol: string, day: number): Quote {
  const b = bars(seed, symbol, 2, day)
  const last = cents(b.close[1]!)
  const half = 0.01 * (1 + Math.floor(2 * hash01(seed, symbol, -3)))
  return {
    symbol,
    time: day * DAY_MS + CLOSE_HOUR_UTC * 3_600_000,
    bid: cents(last - half),
    ask: cents(last + half),
    last,
    open: cents(b.open[1]!),
    high: cents(b.high[1]!),
    low: cents(b.low[1]!),
    close: last,
    previousClose: cents(b.close[0]!),
    volume: Math.max(1, Math.round(b.volume[1]!)),
  }
}
