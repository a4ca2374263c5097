import type { MannWhitneyResult } from './types.ts'

/** Largest n1 x n2 for which the exact null distribution is enumerated. */
const EXACT_MAX_PRODUCT = 400

/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test. Exact for small samples without ties,
 * otherwise the normal approximation with tie-corrected variance and a continuity correction
 * (as R `wilcox.test(correct = TRUE)`).
 * @param a - first sample, sorted ascending.
 * @param b - second sample, sorted ascending.
 * @example mannWhitneyU([1, 2, 3], [4, 5, 6]).pValue // 0.1 (exact)
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, pValue: 1, method: 'normal' }
  // Merge the two sorted samples, giving each tie group its mid rank.
  let i = 0
  let j = 0
  let rank = 0
  let rankSumA = 0
  let tieTerm = 0
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!
    let inA = 0
    let inB = 0
    while (i < n1 && a[i] === v) {
      inA++
      i++
    }
    while (j < n2 && b[j] === v) {
      inB++
      j++
    }
    const t = inA + inB
    rankSumA += inA * (rank + (t + 1) / 2)
    rank += t
    if (t > 1) tieTerm += t * t * t - t
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  if (tieTerm === 0 && n1 * n2 <= EXACT_MAX_PRODUCT) {
    const dist = exactDistribution(n1, n2)
    const lower = Math.min(u, n1 * n2 - u)
    let cumulative = 0
    for (let k = 0; k <= lower; k++) cumulative += dist[k]!
    return { u, pValue: Math.min(1, 2 * cumulative), method: 'exact' }
  }
  const n = n1 + n2
  const mean = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return { u, pValue: 1, method: 'normal' }
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance)
  return { u, pValue: Math.min(1, erfc(z / Math.SQRT2)), method: 'normal' }
}

/** P(U = k) for k = 0..n1*n2 under the null, by the recurrence f(m,n,u) = f(m-1,n,u-n) + f(m,n-1,u). */
function exactDistribution(n1: number, n2: number): Float64Array {
  const max = n1 * n2
  // prev[n][u] holds counts for m - 1; start with m = 0: exactly one arrangement, U = 0.
  let prev: Float64Array[] = Array.from({ length: n2 + 1 }, () => {
    const row = new Float64Array(max + 1)
    row[0] = 1
    return row
  })
  for (let m = 1; m <= n1; m++) {
    const next: Float64Array[] = [new Float64Array(max + 1)]
    next[0]![0] = 1
    for (let n = 1; n <= n2; n++) {
      const row = new Float64Array(max + 1)
      const left = next[n - 1]!
      const up = prev[n]!
      for (let k = 0; k <= m * n; k++) row[k] = left[k]! + (k >= n ? up[k - n]! : 0)
      next.push(row)
    }
    prev = next
  }
  const counts = prev[n2]!
  let total = 0
  for (let k = 0; k <= max; k++) total += counts[k]!
  for (let k = 0; k <= max; k++) counts[k] = counts[k]! / total
  return counts
}

/** Complementary error function, Numerical Recipes `erfcc` (fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}
