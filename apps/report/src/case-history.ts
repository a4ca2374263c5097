import { quantile } from '@ttapi/bench'
import { SelectorError } from './errors.ts'
import { caseKey } from './load-history.ts'
import { nearMatches } from './_near-matches.ts'
import type { CaseHistory, CaseHistoryPoint, History } from './types.ts'

/**
 * One case across all runs. The selector is a case name, `suite/case` or `package/suite/case`.
 * @throws SelectorError when it matches no case (the message suggests the nearest names), or several (it lists them).
 * @example caseHistory(history, 'collect_symbols_cached_disk').points.map((p) => p.p50Ms)
 */
export function caseHistory(history: History, selector: string): CaseHistory {
  const keys = new Set<string>()
  for (const run of history.runs) for (const r of run.records) keys.add(caseKey(r.record))
  const key = resolveCaseKey(keys, selector)
  let unit = 'ops'
  const points: CaseHistoryPoint[] = []
  for (const run of history.runs) {
    const hit = run.records.find((r) => caseKey(r.record) === key)
    if (!hit) continue
    const r = hit.record
    unit = r.unit
    const sorted = Float64Array.from(r.samples_ms).sort()
    const p50 = quantile(sorted, 0.5)
    points.push({
      runId: run.id,
      startedAt: run.startedAt,
      label: run.label,
      commit: run.commit,
      fingerprint: r.fingerprint,
      n: sorted.length,
      p50Ms: p50,
      p95Ms: quantile(sorted, 0.95),
      itemsPerS: p50 > 0 ? (r.items_per_op * 1000) / p50 : r.throughput.items_per_s,
      rssPeakBytes: r.memory.rss_peak_bytes,
    })
  }
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
