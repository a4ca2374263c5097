import { reciprocals } from './_reciprocals.ts'
import { momentsFromShiftedSums } from './_moments.ts'
import type { Moments } from './types.ts'

/**
 * Count, mean, sample variance and standard deviation, skewness, excess kurtosis, min and max of the non-NaN values
 * in `x[start, end)`, in one pass: Welford's update for the mean and M2, and power sums of (x - x_first) for the
 * third and fourth central moments (expanded around the final mean; the shift keeps cancellation small).
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
  let shift = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let s4 = 0
  let min = Infinity
  let max = -Infinity
  const inv = reciprocals(end - start)
  for (let i = start; i < end; i++) {
    const v = x[i]!
    if (v !== v) continue
    n++
    const delta = v - mean
    mean += delta * inv[n]!
    m2 += delta * (v - mean)
    if (n === 1) shift = v
    const dk = v - shift
    const dk2 = dk * dk
    s1 += dk
    s2 += dk2
    s3 += dk2 * dk
    s4 += dk2 * dk2
    if (v < min) min = v
    if (v > max) max = v
  }
  return momentsFromShiftedSums(n, mean, m2, shift, s1, s2, s3, s4, min, max)
}
