/**
 * Volume-weighted average price over `[start, end)`: sum(typical * volume) / sum(volume), with the typical price
 * (high + low + close) / 3. Rows with a NaN in any of the four are skipped; zero total volume gives NaN.
 * @param high - highs
 * @param low - lows
 * @param close - closes
 * @param volume - volumes
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 */
export function vwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  start = 0,
  end: number = close.length,
): number {
  let pv = 0
  let v = 0
  for (let i = start; i < end; i++) {
    const vol = volume[i]!
    const t = (high[i]! + low[i]! + close[i]!) * vol
    if (t !== t) continue
    pv += t
    v += vol
  }
  return v > 0 ? pv / 3 / v : NaN
}
