// A day's quote from the deterministic synthetic market of @ttapi/columnar-io.
import { syntheticBars } from '@ttapi/columnar-io'
import { hash01 } from './_hash.ts'
import type { Quote } from './types.ts'

const DAY_MS = 86_400_000
/** Quotes are stamped at the US close: 16:00 New York is 21:00 UTC in winter. */
const CLOSE_HOUR_UTC = 21

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

/**
 * The quote of `symbol` on `day` (days since 1970-01-01 UTC; a weekend day gives the Friday before) for `seed`: the
 * market's bar for that day (already in cents, high >= max(open, close), low <= min(open, close), volume >= 1),
 * last = close, previous close from the bar before, and a bid and ask either side of last: one or two cents from it,
 * or one hundredth of a cent below one dollar, so bid < last < ask and bid > 0 always hold.
 */
export function syntheticQuote(seed: number, symbol: string, day: number): Quote {
  const b = syntheticBars(seed, symbol, 2, day)
  const last = b.close[1]!
  const half = last >= 1 ? 0.01 * (1 + Math.floor(2 * hash01(seed, symbol, -1))) : 0.0001
  return {
    symbol,
    time: b.date[1]! * DAY_MS + CLOSE_HOUR_UTC * 3_600_000,
    bid: round4(last - half),
    ask: round4(last + half),
    last,
    open: b.open[1]!,
    high: b.high[1]!,
    low: b.low[1]!,
    close: last,
    previousClose: b.close[0]!,
    volume: b.volume[1]!,
  }
}
