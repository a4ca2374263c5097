// The incomplete beta function is the change-point detector's (one implementation of the continued fraction).
import { regularizedIncompleteBeta } from './changepoints.ts'

/**
 * Two-sided p-value of a Student t statistic: P(|T| ≥ |t|) with `df` degrees of freedom (fractional
 * df allowed, as Welch's test gives; `Infinity` is the normal distribution). Through the regularized
 * incomplete beta function, I_{df/(df+t²)}(df/2, 1/2), evaluated by its continued fraction
 * (Numerical Recipes §6.4); accurate to about 1e-10 against scipy's `2 * t.sf(|t|, df)`.
 * @param t - the statistic.
 * @param df - degrees of freedom, > 0.
 * @example studentTTwoSided(2.5, 5) // 0.05449 (scipy 2 * t.sf(2.5, 5))
 */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0
  // The normal tail as the limit of the t tail: ν = 1e7 is within 1e-7 of it.
  const nu = Number.isFinite(df) ? df : 1e7
  return regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5)
}
