import type { MaxDrawdownResult } from './types.ts'

/**
 * Maximum drawdown: the largest fall from a running peak, as a fraction of the peak,
 * max over t of (1 - close[t] / max(close[..t])), with the rows (and dates) of that peak and trough.
 * NaN prices are skipped. No decline gives 0 with peak = trough = the first non-NaN row; no non-NaN price gives NaN
 * and indices -1. Ties keep the earliest peak and trough. Prices are assumed positive.
 * @param close - prices of one symbol
 * @param date - day numbers of the rows, for `peakDate`/`troughDate` (NaN when null)
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @example maxDrawdown(Float64Array.of(100, 120, 90, 130), null) // { maxDrawdown: 0.25, peakIndex: 1, troughIndex: 2, ... }
 */
export function maxDrawdown(
  close: Float64Array,
  date: Int32Array | null,
  start = 0,
  end: number = close.length,
): MaxDrawdownResult {
  let first = start
  while (first < end && close[first]! !== close[first]!) first++
  if (first === end) return { maxDrawdown: NaN, peakIndex: -1, troughIndex: -1, peakDate: NaN, troughDate: NaN }
  let peak = close[first]!
  let peakIndex = first
  // worst = trough/peak of the deepest drawdown so far; a row beats it when close < peak * worst, so the loop
  // multiplies instead of dividing, and divides only when a new trough is found.
  let worst = 1
  let threshold = peak
  let bestPeak = first
  let bestTrough = first
  for (let i = first + 1; i < end; i++) {
    const v = close[i]!
    if (v > peak) {
      peak = v
      peakIndex = i
      threshold = peak * worst
    } else if (v < threshold) {
      worst = v / peak
      threshold = v
      bestPeak = peakIndex
      bestTrough = i
    }
  }
  return {
    maxDrawdown: 1 - worst,
    peakIndex: bestPeak,
    troughIndex: bestTrough,
    peakDate: date === null ? NaN : date[bestPeak]!,
    troughDate: date === null ? NaN : date[bestTrough]!,
  }
}
