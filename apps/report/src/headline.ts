import { formatChange, gateInterval } from './_format.ts'
import type { CaseComparison, Comparison, GateMetric, TimeMetric } from './types.ts'

/** A case the gate did not call a regression although one of its metrics is clearly slower. */
export interface UnconfirmedSlowdown {
  /** The case. */
  case: CaseComparison
  /** The metric that is slower (the larger change when both are). */
  metric: TimeMetric
  /** Its change in percent (point estimate). */
  changePct: number
  /** The metrics the gate judges for this case, and their verdicts. */
  gated: Array<{ metric: GateMetric; verdict: string }>
}

/** When the gate has no threshold for a metric, the one a slowdown must pass to be named. */
const DEFAULT_THRESHOLD_PCT = 10

/**
 * Cases that are not regressed but may be slower: unchanged or inconclusive, with a metric whose point
 * change is beyond its threshold (an ungated metric takes the case's smallest gated threshold) and whose
 * whole 95% interval lies above "no change".
 * @example unconfirmedSlowdowns(c)[0] // { metric: 'p50', changePct: 52.1, gated: [{ metric: 'p95', verdict: 'inconclusive' }] }
 */
export function unconfirmedSlowdowns(c: Comparison): UnconfirmedSlowdown[] {
  const out: UnconfirmedSlowdown[] = []
  for (const x of c.cases) {
    if ((x.status !== 'unchanged' && x.status !== 'inconclusive') || x.intervals === null) continue
    const smallest = Math.min(...x.metrics.map((m) => m.thresholdPct), Infinity)
    let best: { metric: TimeMetric; changePct: number } | null = null
    for (const metric of ['p50', 'p95'] as const) {
      const i = x.intervals[metric]
      const gated = x.metrics.find((m) => m.metric === metric)
      const t = gated?.thresholdPct ?? (Number.isFinite(smallest) ? smallest : DEFAULT_THRESHOLD_PCT)
      const changePct = (i.ratio - 1) * 100
      if (changePct > t && i.low > 1 && (best === null || changePct > best.changePct)) best = { metric, changePct }
    }
    if (best !== null)
      out.push({ case: x, ...best, gated: x.metrics.map((m) => ({ metric: m.metric, verdict: m.verdict })) })
  }
  return out.sort((a, b) => b.changePct - a.changePct)
}

/**
 * "1 case slower on p50 (+52%), not confirmed on the gated p95": what is known of the slowdowns the
 * gate did not confirm, grouped by metric; null when there are none.
 */
export function slowdownPhrase(slowdowns: UnconfirmedSlowdown[]): string | null {
  if (slowdowns.length === 0) return null
  const byMetric = new Map<GateMetric, UnconfirmedSlowdown[]>()
  for (const s of slowdowns) byMetric.set(s.metric, [...(byMetric.get(s.metric) ?? []), s])
  const parts = [...byMetric].map(([metric, list]) => {
    const worst = list[0]!
    const change = `${list.length === 1 ? '' : 'up to '}${roundChange(worst.changePct)}`
    const gated = [...new Set(list.flatMap((s) => s.gated.map((g) => g.metric)))]
    const where =
      gated.length === 0 || (gated.length === 1 && gated[0] === metric)
        ? 'not confirmed by the gate'
        : `not confirmed on the gated ${gated.filter((g) => g !== metric).join('/') || metric}`
    return `${list.length} case${list.length === 1 ? '' : 's'} slower on ${metric} (${change}), ${where}`
  })
  return parts.join('; ')
}

/**
 * The one-line headline of a report: what regressed, what may be slower, what improved (with the
 * largest change), then what was not decided. It never says "no regressions" while a case may be slower.
 * @example headline(c) // '1 regressed: get_hot p95 +23%; 1 case slower on p50 (+52%), not confirmed on the gated p95; 12 unchanged'
 */
export function headline(c: Comparison): string {
  if (c.baseline === null)
    return `No baseline: ${c.cases.length} case${c.cases.length === 1 ? '' : 's'} measured, nothing compared`
  const by = (s: CaseComparison['status']): CaseComparison[] => c.cases.filter((x) => x.status === s)
  const regressed = by('regressed').sort((a, b) => gateRatio(b) - gateRatio(a))
  const improved = by('improved').sort((a, b) => gateRatio(a) - gateRatio(b))
  const slow = unconfirmedSlowdowns(c)
  const slowCases = new Set(slow.map((s) => s.case))
  const parts: string[] = []
  if (regressed.length > 0) parts.push(`${regressed.length} regressed (worst ${gateText(regressed[0]!)})`)
  const phrase = slowdownPhrase(slow)
  if (phrase !== null) parts.push(phrase)
  if (improved.length > 0) parts.push(`${improved.length} improved (best ${gateText(improved[0]!)})`)
  const unstable = c.cases.filter((x) => x.unstable !== null).length
  const inconclusive = by('inconclusive').filter((x) => !slowCases.has(x)).length
  const unchanged = by('unchanged').filter((x) => !slowCases.has(x)).length
  const judged = regressed.length + improved.length + by('inconclusive').length + by('unchanged').length
  if (regressed.length === 0 && phrase === null && inconclusive === 0 && judged > 0)
    parts.unshift(`No regressions across ${judged} judged case${judged === 1 ? '' : 's'}`)
  else {
    if (inconclusive > 0) parts.push(`${inconclusive} inconclusive`)
    if (unchanged > 0) parts.push(`${unchanged} unchanged`)
  }
  if (unstable > 0) parts.push(`${unstable} unstable`)
  const notJudged = by('not_judged').length
  if (notJudged > 0) parts.push(`${notJudged} not judged`)
  if (judged === 0 && notJudged === 0) parts.push('no case could be compared')
  return parts.join('; ')
}

function gateRatio(x: CaseComparison): number {
  return gateInterval(x)?.interval.ratio ?? 1
}

function gateText(x: CaseComparison): string {
  const g = gateInterval(x)
  return `${x.case} ${g?.metric ?? 'p95'} ${roundChange(((g?.interval.ratio ?? 1) - 1) * 100)}`
}

/** +52.1 → "+52%", −3.44 → "−3.4%": whole percent from 10% up. */
function roundChange(pct: number): string {
  if (Math.abs(pct) < 10) return formatChange(pct)
  return `${pct > 0 ? '+' : '−'}${Math.round(Math.abs(pct))}%`
}
