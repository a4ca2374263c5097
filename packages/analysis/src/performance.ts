import { moments } from './moments.ts'
import { simpleReturns } from './returns.ts'
import type { SharpeOptions } from './types.ts'

/**
 * Annualised (compound) return between the first and last non-NaN prices:
 * (last / first)^(periodsPerYear / periods) - 1, where periods is the number of rows between them
 * (trading rows, so missing days do not count). Fewer than two prices give NaN.
 * @param close - prices of one symbol
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param periodsPerYear - trading periods per year @default 252
 */
export function annualisedReturn(
  close: Float64Array,
  start = 0,
  end: number = close.length,
  periodsPerYear = 252,
): number {
  let first = start
  while (first < end && close[first]! !== close[first]!) first++
  let last = end - 1
  while (last > first && close[last]! !== close[last]!) last--
  if (last <= first) return NaN
  return Math.pow(close[last]! / close[first]!, periodsPerYear / (last - first)) - 1
}

/**
 * Sharpe ratio from the mean and sample standard deviation of periodic returns:
 * (mean - riskFreeRate / periodsPerYear) / sd * sqrt(periodsPerYear). A zero or NaN deviation gives NaN.
 * @param mean - mean periodic return
 * @param sd - sample standard deviation of periodic returns
 * @param options - risk-free rate and periods per year
 */
export function sharpeFromMoments(mean: number, sd: number, options: SharpeOptions = {}): number {
  const periodsPerYear = options.periodsPerYear ?? 252
  const riskFreeRate = options.riskFreeRate ?? 0
  if (!(sd > 0)) return NaN
  return ((mean - riskFreeRate / periodsPerYear) / sd) * Math.sqrt(periodsPerYear)
}

/**
 * Annualised Sharpe ratio of the simple daily returns of `close[start, end)`; see {@link sharpeFromMoments}.
 * @param close - prices of one symbol
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param options - risk-free rate and periods per year
 * @param scratch - reused buffer of at least `end - start` for the returns (allocated when omitted)
 */
export function sharpeRatio(
  close: Float64Array,
  start = 0,
  end: number = close.length,
  options: SharpeOptions = {},
  scratch?: Float64Array,
): number {
  const n = Math.max(0, end - start)
  const r = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n)
  simpleReturns(close, r, start, end, 0)
  const m = moments(r, 0, n)
  return sharpeFromMoments(m.mean, m.sd, options)
}
