import { judgeMetric } from './verdict.ts'
import type { MetricJudgement, RatioInterval } from './types.ts'

/**
 * The interval of the allocations-per-op ratio current / baseline from each side's processes: from
 * the smallest current over the largest baseline to the largest current over the smallest baseline
 * (every pairing of processes inside it). Allocations per op are nearly deterministic, so the
 * processes' range is their noise; no bootstrap is needed. Null when a side has no figure or a zero.
 *
 * @param baseline - Each baseline process's bytes per op (nulls: not measured).
 * @param current - Each current process's bytes per op.
 * @returns The ratio of the medians and its range, or null.
 * @example allocationInterval([1000, 1010], [1500, 1520]) // { ratio: 1.507…, low: 1.485…, high: 1.52 }
 */
export function allocationInterval(
  baseline: readonly (number | null)[],
  current: readonly (number | null)[],
): RatioInterval | null {
  const b = known(baseline)
  const c = known(current)
  if (b.length === 0 || c.length === 0 || b[0]! <= 0 || c[0]! <= 0) return null
  return { ratio: median(c) / median(b), low: c[0]! / b.at(-1)!, high: c.at(-1)! / b[0]! }
}

/**
 * Judges allocations per op like a time metric (`judgeMetric`, lower is better) at `thresholdPct`:
 * regressed when every current process allocates more than every baseline process by more than the
 * threshold; unchanged when the whole range lies inside it. One process a side is too few to judge.
 *
 * @param baseline - Each baseline process's bytes per op.
 * @param current - Each current process's bytes per op.
 * @param thresholdPct - The `alloc` threshold of `ttapi.report.json`.
 * @returns The judgement, or null when either side was not measured.
 */
export function judgeAllocation(
  baseline: readonly (number | null)[],
  current: readonly (number | null)[],
  thresholdPct: number,
): MetricJudgement | null {
  const interval = allocationInterval(baseline, current)
  if (interval === null) return null
  const n = { baseline: known(baseline).length, current: known(current).length }
  return judgeMetric({
    metric: 'alloc',
    interval,
    thresholdPct,
    // The ranges of the two sides do not overlap: every process of one side allocates more.
    significant: interval.low > 1 || interval.high < 1,
    n,
    processes: n,
  })
}

function known(xs: readonly (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b)
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2
}
