import { reciprocals } from './_reciprocals.ts'
import type { BenchmarkReturns, BetaResult } from './types.ts'

/**
 * Daily simple returns of a benchmark laid out by date for O(1) alignment: `returns[d - firstDate]` is the
 * benchmark's return on day d (its close that day over its previous row's close), NaN when it has no return that day.
 * @param date - day numbers of the benchmark rows, increasing
 * @param close - benchmark prices
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 */
export function benchmarkReturns(
  date: Int32Array,
  close: Float64Array,
  start = 0,
  end: number = close.length,
): BenchmarkReturns {
  if (end <= start) return { firstDate: 0, returns: new Float64Array(0) }
  const firstDate = date[start]!
  const returns = new Float64Array(date[end - 1]! - firstDate + 1).fill(NaN)
  for (let i = start + 1; i < end; i++) returns[date[i]! - firstDate] = close[i]! / close[i - 1]! - 1
  return { firstDate, returns }
}

/**
 * Beta and Pearson correlation of a symbol's simple daily returns against a benchmark's, paired by date (a row's
 * return is paired with the benchmark's return on the same day; days either lacks are left out). One pass with
 * Welford co-moments. beta = cov(r, b) / var(b) (DuckDB `regr_slope(r, b)`); correlation = DuckDB `corr(r, b)`.
 * Fewer than two pairs, or a zero variance, give NaN.
 * @param close - prices of the symbol
 * @param date - day numbers of the symbol's rows
 * @param benchmark - from {@link benchmarkReturns}
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 */
export function betaCorrelation(
  close: Float64Array,
  date: Int32Array,
  benchmark: BenchmarkReturns,
  start = 0,
  end: number = close.length,
): BetaResult {
  const br = benchmark.returns
  const base = benchmark.firstDate
  const span = br.length
  let n = 0
  let mx = 0
  let my = 0
  let cxy = 0
  let cxx = 0
  let cyy = 0
  const inv = reciprocals(end - start)
  for (let i = start + 1; i < end; i++) {
    const k = date[i]! - base
    if (k < 0 || k >= span) continue
    const y = br[k]!
    const x = close[i]! / close[i - 1]! - 1
    if (x !== x || y !== y) continue
    n++
    const dx = x - mx
    const dy = y - my
    mx += dx * inv[n]!
    my += dy * inv[n]!
    const ex = x - mx
    const ey = y - my
    cxy += dx * ey
    cxx += dx * ex
    cyy += dy * ey
  }
  if (n < 2 || !(cyy > 0)) return { beta: NaN, correlation: NaN, count: n }
  return { beta: cxy / cyy, correlation: cxx > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN, count: n }
}
