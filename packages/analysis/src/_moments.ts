// Shared by `moments` and the fused standard-analysis pass.
import type { Moments } from './types.ts'

/** Turns Welford accumulators (count, mean, central sums M2..M4, min, max) into Moments; undefined ones are NaN. */
export function momentsFromSums(
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

/**
 * Moments from Welford's mean and M2 plus power sums of x - shift (shift = a value of the series, e.g. the first):
 * M3 and M4 follow by the binomial expansion around the final mean. With the shift inside the data the terms
 * cancel little (the loop then carries no dependency through M3/M4, unlike the Terriberry update).
 */
export function momentsFromShiftedSums(
  n: number,
  mean: number,
  m2: number,
  shift: number,
  s1: number,
  s2: number,
  s3: number,
  s4: number,
  min: number,
  max: number,
): Moments {
  const d = mean - shift
  const d2 = d * d
  const m3 = s3 - 3 * d * s2 + 3 * d2 * s1 - n * d2 * d
  const m4 = s4 - 4 * d * s3 + 6 * d2 * s2 - 4 * d2 * d * s1 + n * d2 * d2
  return momentsFromSums(n, mean, m2, m3, m4, min, max)
}
