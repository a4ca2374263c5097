import { reciprocals } from './_reciprocals.ts'
import type { Moments } from './types.ts'

/**
 * Count, mean, sample variance and standard deviation, skewness, excess kurtosis, min and max of the non-NaN values
 * in `x[start, end)`, in one pass (Welford's update extended to the third and fourth central moments, Terriberry 2007).
 * Skewness and kurtosis use DuckDB's sample-adjusted definitions (`skewness`, `kurtosis`):
 * G1 = sqrt(n(n-1))/(n-2) * m3/m2^1.5 and G2 = (n-1)/((n-2)(n-3)) * ((n+1) m4/m2^2 - 3(n-1)), with m_k the
 * population central moments. Undefined results are NaN: mean/min/max need 1 value, variance 2, skewness 3,
 * kurtosis 4, and skewness/kurtosis need a non-zero variance.
 * @param x - values; NaN entries are skipped
 * @param start - first index (inclusive) @default 0
 * @param end - last index (exclusive) @default x.length
 * @example moments(Float64Array.of(1, 2, 3, 4)) // { count: 4, mean: 2.5, variance: 1.6667, skewness: 0, kurtosis: -1.2, ... }
 */
export function moments(x: Float64Array, start = 0, end: number = x.length): Moments {
  let n = 0
  let mean = 0
  let m2 = 0
  let m3 = 0
  let m4 = 0
  let min = Infinity
  let max = -Infinity
  const inv = reciprocals(end - start)
  for (let i = start; i < end; i++) {
    const v = x[i]!
    if (v !== v) continue
    const n1 = n
    n++
    const delta = v - mean
    const deltaN = delta * inv[n]!
    const deltaN2 = deltaN * deltaN
    const term1 = delta * deltaN * n1
    mean += deltaN
    m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * m2 - 4 * deltaN * m3
    m3 += term1 * deltaN * (n - 2) - 3 * deltaN * m2
    m2 += term1
    if (v < min) min = v
    if (v > max) max = v
  }
  return momentsFromSums(n, mean, m2, m3, m4, min, max)
}

// Turns Welford accumulators into the result; undefined statistics are NaN.
function momentsFromSums(
  n: number,
  mean: number,
  m2: number,
  m3: number,
  m4: number,
  min: number,
  max: number,
): Moments {
  if (n === 0) {
    return { count: 0, mean: NaN, variance: NaN, sd: NaN, skewness: NaN, kurtosis: NaN, min: NaN, max: NaN }
  }
  const variance = n > 1 ? m2 / (n - 1) : NaN
  const skewness =
    n > 2 && m2 > 0 ? ((Math.sqrt(n * (n - 1)) / (n - 2)) * (Math.sqrt(n) * m3)) / Math.pow(m2, 1.5) : NaN
  const kurtosis =
    n > 3 && m2 > 0 ? ((n - 1) * ((n + 1) * ((n * m4) / (m2 * m2)) - 3 * (n - 1))) / ((n - 2) * (n - 3)) : NaN
  return { count: n, mean, variance, sd: Math.sqrt(variance), skewness, kurtosis, min, max }
}
