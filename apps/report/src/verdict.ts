import type { JudgeInput, MetricJudgement, RatioInterval, Verdict } from './types.ts'

/**
 * The verdict rules, for a lower-is-better time metric with ratio r = current / baseline and
 * threshold t: `regressed` when significant after correction and the whole interval lies above
 * 1 + t; `improved` when significant and the whole interval lies below 1 / (1 + t) (the same
 * distance in log space: throughput up by more than t); `unchanged` when the interval lies inside
 * [1 / (1 + t), 1 + t]; `inconclusive` otherwise.
 * @example judgeMetric({ metric: 'p95', interval: { ratio: 1.2, low: 1.15, high: 1.25 }, thresholdPct: 10, significant: true, n: { baseline: 50, current: 50 } }).verdict // 'regressed'
 */
export function judgeMetric(input: JudgeInput): MetricJudgement {
  const { metric, interval, thresholdPct, significant, n, processes } = input
  const upper = 1 + thresholdPct / 100
  const lower = 1 / upper
  const base = { metric, thresholdPct }
  const ci = `${metric} ${pct(interval.ratio)} (95% CI ${pct(interval.low)} to ${pct(interval.high)})`
  const inProcesses =
    processes !== undefined && (processes.baseline > 1 || processes.current > 1)
      ? ` in ${processes.baseline} vs ${processes.current} processes`
      : ''
  const samples = `n=${n.baseline} vs ${n.current}${inProcesses}`
  if (![interval.ratio, interval.low, interval.high].every((v) => Number.isFinite(v) && v > 0))
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `${metric} ratio is undefined (a ${metric} of 0 ms on one side); compare throughput by hand`,
    }
  if (n.baseline < 2 || n.current < 2)
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `too few samples to judge (${samples}); need at least 2 per side`,
    }
  if (interval.low > upper && significant)
    return { ...base, verdict: 'regressed', reason: `${ci}, beyond the +${thresholdPct}% threshold` }
  if (interval.high < lower && significant)
    return { ...base, verdict: 'improved', reason: `${ci}, beyond the ${pct(lower)} threshold` }
  if (interval.low >= lower && interval.high <= upper)
    return { ...base, verdict: 'unchanged', reason: `${ci}, inside ±${thresholdPct}%` }
  if (interval.low > upper || interval.high < lower)
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `${ci} lies beyond the threshold but is not significant after correction; more samples: ${samples}`,
    }
  if (processes !== undefined && (processes.baseline > 1 || processes.current > 1))
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `${ci} straddles the threshold; more processes would narrow it (${samples}; \`--processes N\`)`,
    }
  return { ...base, verdict: 'inconclusive', reason: `${ci} straddles the threshold; ${settle(interval, upper, n)}` }
}

/** Combines per-metric verdicts: any regressed wins, then any improved, then all unchanged, else inconclusive. */
export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return 'unchanged'
  if (verdicts.includes('regressed')) return 'regressed'
  if (verdicts.includes('improved')) return 'improved'
  if (verdicts.every((v) => v === 'unchanged')) return 'unchanged'
  return 'inconclusive'
}

/** "more samples: n=5 vs 5 (about 40 per side would settle it if the ratio held)". */
function settle(interval: RatioInterval, upper: number, n: { baseline: number; current: number }): string {
  const head = `more samples: n=${n.baseline} vs ${n.current}`
  const most = Math.max(n.baseline, n.current)
  const centre = Math.log(interval.ratio)
  const [low, high] = [Math.log(interval.low), Math.log(interval.high)]
  // Each threshold edge inside the interval must leave it; the interval narrows about as 1/sqrt(n), on
  // each side separately (bootstrap intervals of a skewed ratio are asymmetric).
  let needed = 0
  for (const edge of [Math.log(upper), -Math.log(upper)]) {
    if (edge <= low || edge >= high) continue
    const distance = Math.abs(centre - edge)
    const width = edge > centre ? high - centre : centre - low
    needed = Math.max(needed, distance < 0.002 ? Infinity : Math.ceil(most * (width / distance) ** 2))
  }
  if (!Number.isFinite(needed) || needed > 100 * most)
    return `${head} (the ratio sits on the threshold; a few more samples will not settle it)`
  return `${head} (about ${Math.max(needed, most + 1)} per side would settle it if the ratio held)`
}

/** Ratio as a signed percent change: 1.234 → "+23.4%". */
export function pct(ratio: number): string {
  const change = (ratio - 1) * 100
  const digits = Math.abs(change) >= 100 ? 0 : 1
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(digits)}%`
}
