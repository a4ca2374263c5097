import { quantile } from '@ttapi/bench'
import { createRandom } from './_random.ts'
import type { BootstrapOptions, RatioInterval } from './types.ts'

/** Intervals of {@link hierarchicalBootstrap} and the p-value of its first ratio. */
export interface HierarchicalBootstrapResult {
  /** One interval per entry of `probs`. */
  intervals: RatioInterval[]
  /** Two-sided bootstrap p-value that the first ratio (the median's) is 1: twice the smaller tail, (k + 1) / (R + 1). */
  pValue: number
}

/**
 * Percentile-bootstrap intervals of quantile ratios current / baseline with the process as the
 * unit: each resample draws, per side, as many processes as the side has (with replacement), then
 * within each drawn process as many samples as it holds (with replacement), and takes the quantiles
 * of the pooled draw. Variance between processes (JIT tiers, memory layout, a deoptimised process)
 * is then inside the interval, which a bootstrap of the pooled samples would miss: within a process
 * samples are not independent evidence about the code. With one process a side it is the ordinary
 * bootstrap. Quantiles by linear interpolation (DuckDB `quantile_cont`).
 * @param baseline - the baseline's processes, each its samples sorted ascending (at least one, each non-empty).
 * @param current - the current side's processes, likewise.
 * @example hierarchicalBootstrap([a1, a2], [b1, b2], { seed: 7 }).intervals[1] // p95 ratio with its 95% interval
 */
export function hierarchicalBootstrap(
  baseline: readonly Float64Array[],
  current: readonly Float64Array[],
  options: BootstrapOptions = {},
): HierarchicalBootstrapResult {
  const resamples = options.resamples ?? 2000
  const probs = options.probs ?? [0.5, 0.95]
  const level = options.level ?? 0.95
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`Expected \`resamples\` to be an integer from 1 up, got \`${resamples}\``)
  if (baseline.length === 0 || current.length === 0 || [...baseline, ...current].some((p) => p.length === 0))
    throw new RangeError('bootstrap: both sides need processes with samples')
  const random = createRandom(options.seed ?? 1)
  // A draw may pick the largest process every time.
  const size = (side: readonly Float64Array[]): number => side.length * Math.max(...side.map((p) => p.length))
  const poolB = new Float64Array(size(baseline))
  const poolC = new Float64Array(size(current))
  const ratios = probs.map(() => new Float64Array(resamples))
  const qb = new Float64Array(probs.length)
  const qc = new Float64Array(probs.length)
  for (let r = 0; r < resamples; r++) {
    draw(baseline, poolB, probs, qb, random)
    draw(current, poolC, probs, qc, random)
    for (let k = 0; k < probs.length; k++) ratios[k]![r] = qc[k]! / qb[k]!
  }
  const pooled = (side: readonly Float64Array[]): Float64Array => Float64Array.from(side.flatMap((p) => [...p])).sort()
  const allB = pooled(baseline)
  const allC = pooled(current)
  const alpha = (1 - level) / 2
  let below = 0
  let above = 0
  for (const v of ratios[0]!) {
    if (v <= 1) below++
    if (v >= 1) above++
  }
  const pValue = Math.min(1, (2 * Math.min(below, above) + 1) / (resamples + 1))
  const intervals = probs.map((p, k) => {
    const sorted = ratios[k]!.sort()
    return {
      ratio: quantile(allC, p) / quantile(allB, p),
      low: quantile(sorted, alpha),
      high: quantile(sorted, 1 - alpha),
    }
  })
  return { intervals, pValue }
}

/** Writes into `out` the quantiles of one two-level resample of `processes`, using `pool` as scratch. */
function draw(
  processes: readonly Float64Array[],
  pool: Float64Array,
  probs: readonly number[],
  out: Float64Array,
  random: () => number,
): void {
  const k = processes.length
  let m = 0
  for (let j = 0; j < k; j++) {
    const p = processes[(random() * k) | 0]!
    const n = p.length
    for (let i = 0; i < n; i++) pool[m++] = p[(random() * n) | 0]!
  }
  const view = pool.subarray(0, m).sort()
  for (let q = 0; q < probs.length; q++) out[q] = quantile(view, probs[q]!)
}
