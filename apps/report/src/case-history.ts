import { SelectorError } from './errors.ts'
import { historyAggregates } from './run-aggregates.ts'
import type { AggregatedHistory, AggregateSeries } from './run-aggregates.ts'
import { nearMatches } from './_near-matches.ts'
import type { CaseHistory, CaseHistoryPoint, History } from './types.ts'

/**
 * One case across all runs. The selector is a case name, `suite/case` or `package/suite/case`.
 * @param history - the run aggregates (`loadRunAggregates`: no sample read), or a loaded history (aggregated in JS).
 * @throws SelectorError when it matches no case (the message suggests the nearest names), or several (it lists them).
 * @example caseHistory(history, 'collect_symbols_cached_disk').points.map((p) => p.p50Ms)
 */
export function caseHistory(history: History | AggregatedHistory, selector: string): CaseHistory {
  const { runs, aggregates, keys } = 'aggregates' in history ? history : historyAggregates(history)
  // Aggregates loaded for one case still list every key: a typo is named, an ambiguous name listed.
  const key = resolveCaseKey(keys ?? new Set(aggregates.map((s) => s.key)), selector)
  // A case's series (one per profile and machine) merged back into run order: one record per run.
  const at: { s: AggregateSeries; i: number }[] = []
  for (const s of aggregates) if (s.key === key) s.run.forEach((_, i) => at.push({ s, i }))
  at.sort((a, b) => a.s.run[a.i]! - b.s.run[b.i]!)
  let unit = 'ops'
  const points: CaseHistoryPoint[] = at.map(({ s, i }) => {
    const run = runs[s.run[i]!]!
    const p50 = s.p50[i]!
    unit = s.unit
    return {
      runId: run.id,
      startedAt: run.startedAt,
      label: run.label,
      commit: run.commit,
      fingerprint: s.fingerprint[i]!,
      n: s.n[i]!,
      p50Ms: p50,
      p95Ms: s.p95[i]!,
      itemsPerS: p50 > 0 ? (s.itemsPerOp[i]! * 1000) / p50 : s.itemsPerS[i]!,
      rssPeakBytes: s.rssPeakBytes[i]!,
    }
  })
  return { key, unit, points }
}

/**
 * The one case key a selector names among `keys`: a case name, `suite/case` or `package/suite/case`.
 * @param keys - the history's case keys (`package/suite/case`).
 * @param selector - what the user typed.
 * @throws SelectorError when it matches no case (the message suggests the nearest names), or several (it lists them).
 */
export function resolveCaseKey(keys: ReadonlySet<string>, selector: string): string {
  const matching = [...keys].filter((k) => k === selector || k.endsWith(`/${selector}`)).sort()
  if (matching.length === 0) {
    const names = [...keys].sort()
    // Compare like with like: `case` with case names, `suite/case` with suite/case, else whole keys.
    const depth = selector.split('/').length
    const tail = (k: string): string => (depth <= 2 ? k.split('/').slice(-depth).join('/') : k)
    const near = nearMatches(tail(selector), names.map(tail))
    throw new SelectorError(
      near.length > 0
        ? `report: no case ${JSON.stringify(selector)} in the history; did you mean ${near.join(', ')}? (${names.length} cases)`
        : `report: no case ${JSON.stringify(selector)} in the history; cases: ${names.slice(0, 12).join(', ')}${names.length > 12 ? `, … (${names.length})` : ''}`,
    )
  }
  if (matching.length > 1)
    throw new SelectorError(
      `report: case ${JSON.stringify(selector)} is ambiguous: ${matching.join(', ')}; name one in full`,
    )
  return matching[0]!
}
