import { quantile } from '@ttapi/bench'
import { detectChangePoints } from './changepoints.ts'
import type { ChangePointOptions } from './changepoints.ts'
import type { HtmlCaseSeries, HtmlProfileComparison, HtmlReportInput } from './html-report.ts'
import { caseKey } from './load-history.ts'
import { verdictTable } from './render-markdown.ts'
import { reportNotes } from './summary.ts'
import type { Comparison, History, ReportContext, RunSelection } from './types.ts'

/**
 * Per case, profile and machine, its p5/p50/p95 and throughput over every run of the history (oldest
 * first), with change points of the p50 series and the commit range each one happened in. A case measured
 * on two machines is two series, so a machine change is never a change point.
 */
export function caseSeries(history: History, options: ChangePointOptions = {}): HtmlCaseSeries[] {
  const byKey = new Map<string, HtmlCaseSeries>()
  history.runs.forEach((run, runIndex) => {
    for (const { record: r } of run.records) {
      // One series per case, harness profile and machine: quick and full runs measure different data
      // sets, and a step where the machine changed is the machine, not a change point of the code.
      const key = `${caseKey(r)}\u0000${r.config.profile === 'quick' ? '' : r.config.profile}\u0000${r.machine.id}`
      let s = byKey.get(key)
      if (!s) {
        s = {
          package: r.package,
          suite: r.suite,
          case: r.case,
          unit: r.unit,
          profile: r.config.profile,
          machine: r.machine.name,
          run: [],
          p5: [],
          p50: [],
          p95: [],
          throughput: [],
          changePoints: [],
        }
        byKey.set(key, s)
      }
      const sorted = Float64Array.from(r.samples_ms).sort()
      s.run.push(runIndex)
      s.p5.push(quantile(sorted, 0.05))
      s.p50.push(quantile(sorted, 0.5))
      s.p95.push(quantile(sorted, 0.95))
      s.throughput.push(r.throughput.items_per_s)
    }
  })
  const out = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s)
  for (const s of out) {
    s.changePoints = detectChangePoints(s.p50, options).map((cp) => ({
      index: cp.index,
      change: cp.change,
      pValue: cp.pValue,
      fromCommit: history.runs[s.run[cp.index - 1]!]?.commit ?? null,
      toCommit: history.runs[s.run[cp.index]!]?.commit ?? null,
    }))
  }
  return out
}

/** Assembles everything the HTML report shows from the loaded history and the comparison. */
export function buildHtmlInput(opts: {
  history: History
  selection: RunSelection
  comparison: Comparison
  context: ReportContext
  profiles?: HtmlProfileComparison[]
  changePoints?: ChangePointOptions
  now?: Date
}): HtmlReportInput {
  const { history, selection, comparison } = opts
  const runIndex = (id: string | undefined): number | null => {
    if (id === undefined) return null
    const i = history.runs.findIndex((r) => r.id === id)
    return i < 0 ? null : i
  }
  const env = selection.current.env
  return {
    title: `ttapi benchmark report — ${selection.current.label} ${selection.current.date}`,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    runs: history.runs.map((r) => ({
      id: r.id,
      startedAt: r.startedAt,
      label: r.label,
      commit: r.commit,
      fingerprint: r.fingerprint,
      machine: r.machine.name,
      cases: r.records.length,
    })),
    baseline: runIndex(selection.baseline?.id),
    current: runIndex(selection.current.id),
    env: {
      machine: selection.current.machine.name,
      os: `${env.os ?? '?'} ${env.os_release ?? ''}`.trim(),
      arch: env.arch,
      cpu: env.cpu_model,
      cores: env.cores,
      memory: env.mem_bytes === null ? null : `${(env.mem_bytes / 2 ** 30).toFixed(1)} GiB`,
      node: env.node,
      v8: env.v8,
      ci: env.ci,
      glibc_tunables: env.glibc_tunables,
      profile: selection.current.config.profile,
      fingerprint: selection.current.fingerprint,
    },
    verdicts: verdictTable(comparison),
    series: caseSeries(history, opts.changePoints),
    profiles: opts.profiles ?? [],
    notes: reportNotes(comparison, opts.context),
  }
}
