/**
 * Average true range (Wilder). True range TR = max(high, prevClose) - min(low, prevClose) (Wilder's true high minus
 * true low; equal to max(high - low, |high - prevClose|, |low - prevClose|) when high >= low), or high - low where
 * there is no previous close (first row, or previous close NaN). The first ATR is the mean of
 * the first `period` TRs, then ATR = (ATR' (period - 1) + TR) / period. Rows before that, and a row with a NaN
 * high/low/close (which also restarts the average), give NaN.
 * @param high - highs
 * @param low - lows
 * @param close - closes
 * @param period - an integer from 1 up (14 is Wilder's; anything else fills NaN)
 * @param out - receives `end - start` values, or null to keep only the last
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param outStart - index in `out` of the first value @default start
 * @returns the last ATR (NaN when none)
 */
export function averageTrueRange(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out: Float64Array | null,
  start = 0,
  end: number = close.length,
  outStart: number = start,
): number {
  const shift = outStart - start
  if (!(period >= 1) || !Number.isInteger(period)) {
    out?.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  const invPeriod = 1 / period
  const keep = period - 1
  let prevClose = NaN
  let valid = 0
  let atr = 0
  let last = NaN
  for (let i = start; i < end; i++) {
    const h = high[i]!
    const l = low[i]!
    const c = close[i]!
    // True high minus true low; with no previous close (comparisons with NaN fail) that is high - low.
    const tr = (prevClose > h ? prevClose : h) - (prevClose < l ? prevClose : l)
    prevClose = c
    if (tr !== tr || c !== c) {
      valid = 0
      atr = 0
      last = NaN
    } else if (valid < period) {
      atr += tr
      valid++
      last = valid === period ? (atr /= period) : NaN
    } else {
      atr = (atr * keep + tr) * invPeriod
      last = atr
    }
    if (out !== null) out[i + shift] = last
  }
  return last
}
