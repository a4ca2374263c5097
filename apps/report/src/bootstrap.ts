import { createRandom } from './_random.ts'
import { quantile } from '@ttapi/bench'
import type { BootstrapOptions, RatioInterval } from './types.ts'

/**
 * Percentile-bootstrap intervals of quantile ratios current / baseline (quantiles by linear
 * interpolation, DuckDB `quantile_cont`). Each resample draws n indices with replacement per side
 * and reads the needed order statistics from the counts, so a resample costs O(n) and never sorts.
 * @param baseline - baseline samples, sorted ascending, at least 1.
 * @param current - current samples, sorted ascending, at least 1.
 * @returns one interval per entry of `probs`.
 * @example bootstrapRatios(sortedA, sortedB, { seed: 7 })[1] // p95 ratio with its 95% interval
 */
export function bootstrapRatios(
  baseline: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BootstrapOptions = {},
): RatioInterval[] {
  const resamples = options.resamples ?? 2000
  const probs = options.probs ?? [0.5, 0.95]
  const level = options.level ?? 0.95
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`Expected \`resamples\` to be an integer from 1 up, got \`${resamples}\``)
  for (let k = 0; k < probs.length; k++)
    if (!(probs[k]! >= 0 && probs[k]! <= 1) || (k > 0 && probs[k]! < probs[k - 1]!))
      throw new RangeError(`Expected \`probs\` ascending in [0, 1], got \`${probs.join(', ')}\``)
  if (baseline.length === 0 || current.length === 0) throw new RangeError('bootstrap: both sides need samples')
  const random = createRandom(options.seed ?? 1)
  const nb = baseline.length
  const nc = current.length
  const countsB = new Uint32Array(nb)
  const countsC = new Uint32Array(nc)
  const qb = new Float64Array(probs.length)
  const qc = new Float64Array(probs.length)
  const ratios = probs.map(() => new Float64Array(resamples))
  for (let r = 0; r < resamples; r++) {
    resampleQuantiles(baseline, countsB, probs, qb, random)
    resampleQuantiles(current, countsC, probs, qc, random)
    for (let k = 0; k < probs.length; k++) ratios[k]![r] = qc[k]! / qb[k]!
  }
  const alpha = (1 - level) / 2
  return probs.map((p, k) => {
    const sorted = ratios[k]!.sort()
    return {
      ratio: quantile(current, p) / quantile(baseline, p),
      low: quantile(sorted, alpha),
      high: quantile(sorted, 1 - alpha),
    }
  })
}

/** Writes into `out` the quantiles `probs` of one bootstrap resample of sorted `x`. */
function resampleQuantiles(
  x: ArrayLike<number>,
  counts: Uint32Array,
  probs: readonly number[],
  out: Float64Array,
  random: () => number,
): void {
  const n = x.length
  counts.fill(0)
  for (let i = 0; i < n; i++) counts[(random() * n) | 0]!++
  // One walk over the cumulative counts serves every quantile: probs are visited in ascending
  // order, and each needs the order statistics at ranks floor(h) and floor(h) + 1.
  let i = 0
  let seen = counts[0]!
  const at = (rank: number): number => {
    while (seen <= rank && i < n - 1) seen += counts[++i]!
    return x[i]!
  }
  for (let k = 0; k < probs.length; k++) {
    const h = (n - 1) * probs[k]!
    const lo = Math.floor(h)
    const frac = h - lo
    const a = at(lo)
    out[k] = frac === 0 ? a : a + frac * (at(lo + 1) - a)
  }
}
