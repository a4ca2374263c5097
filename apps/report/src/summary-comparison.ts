import { computeStats, tCritical } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import { studentTTwoSided } from './student-t.ts'
import { pct } from './verdict.ts'
import type { MetricJudgement, RatioInterval, Thresholds } from './types.ts'

/** One side's mean with its relative standard error, or why it has none. */
type SideMean = { mean: number; rse: number; df: number; basis: string } | { why: string }

/** What {@link summaryComparison} found: the mean ratio's interval and p-value, or why it cannot give one. */
export type SummaryComparison =
  | { interval: RatioInterval; pValue: number; basis: string; why: null }
  | { interval: null; pValue: null; basis: null; why: string }

/** Whether a record holds a tool's summary statistics instead of samples (`report import`). */
export function isSummaryRecord(r: BenchRecord): boolean {
  return r.imported?.samples === 'summary'
}

/** A side's mean and relative standard error: from its samples, its sd and n, or its rme alone. */
function sideMean(r: BenchRecord, side: string): SideMean {
  const s = r.imported?.samples === 'summary' ? r.imported.summary : null
  if (s === null) {
    const st = computeStats(r.samples_ms)
    if (st.n < 2 || st.mean_ms <= 0) return { why: `the ${side} has ${st.n} sample(s)` }
    return { mean: st.mean_ms, rse: st.sd_ms / Math.sqrt(st.n) / st.mean_ms, df: st.n - 1, basis: `${side} n=${st.n}` }
  }
  if (s.mean_ms <= 0) return { why: `the ${side}'s mean is 0` }
  if (s.sd_ms !== null && s.n !== null && s.n >= 2)
    return {
      mean: s.mean_ms,
      rse: s.sd_ms / Math.sqrt(s.n) / s.mean_ms,
      df: s.n - 1,
      basis: `${side} mean ± sd, n=${s.n}`,
    }
  if (s.rme_pct !== null) {
    // rme is a 95% margin: t(n - 1) standard errors, or 1.96 when the tool does not give n.
    const df = s.n !== null && s.n >= 2 ? s.n - 1 : Infinity
    const basis = s.n === null ? `${side} mean ± rme only (n not given: normal)` : `${side} mean ± rme, n=${s.n}`
    return { mean: s.mean_ms, rse: s.rme_pct / 100 / tCritical(df), df, basis }
  }
  return { why: `the ${side} tool kept a mean without any spread (no samples, sd or rme)` }
}

/**
 * The mean ratio (current / baseline) when either side is an imported summary: a 95% interval of the
 * ratio of means by the delta method on the log scale, ln(m_c / m_b) ± t(df) × √(rse_b² + rse_c²), with
 * Welch-Satterthwaite degrees of freedom, and the two-sided p-value of that t statistic. Each side's
 * relative standard error comes from its samples, its sd and n, or its rme alone (then n is unknown and
 * the normal 1.96 is assumed, which the basis says). A side with a mean and nothing else cannot give an
 * interval: `why` says so. This is a normal approximation of means, not the report's bootstrap of
 * quantiles — the basis text carries that into every verdict.
 * @example summaryComparison(baseline, current).interval // { ratio: 1.3, low: 1.21, high: 1.4 }
 */
export function summaryComparison(baseline: BenchRecord, current: BenchRecord): SummaryComparison {
  const b = sideMean(baseline, 'baseline')
  const c = sideMean(current, 'current')
  if ('why' in b || 'why' in c) {
    const why = ['why' in b ? b.why : null, 'why' in c ? c.why : null].filter((x) => x !== null).join('; ')
    return { interval: null, pValue: null, basis: null, why }
  }
  const log = Math.log(c.mean / b.mean)
  const vb = b.rse * b.rse
  const vc = c.rse * c.rse
  const se = Math.sqrt(vb + vc)
  const denominator = (Number.isFinite(b.df) ? (vb * vb) / b.df : 0) + (Number.isFinite(c.df) ? (vc * vc) / c.df : 0)
  const df = denominator > 0 ? (vb + vc) ** 2 / denominator : Infinity
  // tCritical rounds df: flooring first keeps the interval on the wide side.
  const t = tCritical(Number.isFinite(df) ? Math.max(1, Math.floor(df)) : Infinity)
  const interval = { ratio: Math.exp(log), low: Math.exp(log - t * se), high: Math.exp(log + t * se) }
  const pValue = se > 0 ? studentTTwoSided(log / se, df) : log === 0 ? 1 : 0
  return { interval, pValue, basis: `${b.basis}; ${c.basis}`, why: null }
}

/**
 * The verdict on a summary comparison, by the same rules as {@link judgeMetric} applied to the mean
 * ratio, against the p50 threshold when one is set, else the p95 threshold (null when neither is: not
 * gated); the reason says the interval is of means from summary statistics (normal approximation),
 * never of samples.
 * @param s - the summary comparison.
 * @param thresholds - the case's thresholds.
 * @param significant - whether the BH-adjusted p-value is within alpha.
 */
export function judgeSummary(
  s: SummaryComparison,
  thresholds: Thresholds,
  significant: boolean,
): MetricJudgement | null {
  const metric = thresholds.p50 !== null ? 'p50' : 'p95'
  const thresholdPct = thresholds.p50 ?? thresholds.p95
  if (thresholdPct === null) return null
  const base = { metric, thresholdPct } as const
  if (s.why !== null)
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `summary statistics only, no interval: ${s.why}; import the tool's raw samples to judge`,
    }
  const i = s.interval
  const upper = 1 + thresholdPct / 100
  const lower = 1 / upper
  const ci = `mean ${pct(i.ratio)} (95% CI ${pct(i.low)} to ${pct(i.high)}, from summary statistics: ${s.basis}; a normal approximation of means, not of samples)`
  if (i.low > upper && significant)
    return { ...base, verdict: 'regressed', reason: `${ci}, beyond the +${thresholdPct}% threshold` }
  if (i.high < lower && significant)
    return { ...base, verdict: 'improved', reason: `${ci}, beyond the ${pct(lower)} threshold` }
  if (i.low >= lower && i.high <= upper)
    return { ...base, verdict: 'unchanged', reason: `${ci}, inside ±${thresholdPct}%` }
  return {
    ...base,
    verdict: 'inconclusive',
    reason: `${ci} ${i.low > upper || i.high < lower ? 'lies beyond the threshold but is not significant after correction' : 'straddles the threshold'}; raw samples would settle it`,
  }
}
