import { quantile } from '@ttapi/bench'
import { detectChangePoints } from './changepoints.ts'
import type { ChangePointOptions } from './changepoints.ts'
import type { HtmlCaseSeries, HtmlChangePoint, HtmlProfileComparison, HtmlReportInput } from './html-report.ts'
import { caseKey } from './load-history.ts'
import { verdictTable } from './render-markdown.ts'
import { reportNotes } from './summary.ts'
import type { Comparison, History, ReportContext, RunSelection } from './types.ts'

/**
 * Per case, its p5/p50/p95 and throughput over every run of the history (oldest first), with change
 * points of the p50 series (per machine) and the commit range each one happened in.
 */
export function caseSeries(history: History, options: ChangePointOptions = {}): HtmlCaseSeries[] {
  const byKey = new Map<string, HtmlCaseSeries>()
  history.runs.forEach((run, runIndex) => {
    for (const { record: r } of run.records) {
      // One series per case and harness profile: quick and full runs measure different data sets.
      const key = r.config.profile === 'quick' ? caseKey(r) : `${caseKey(r)}\u0000${r.config.profile}`
      let s = byKey.get(key)
      if (!s) {
        s = {
          package: r.package,
          suite: r.suite,
          case: r.case,
          unit: r.unit,
          profile: r.config.profile,
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
  for (const s of out) s.changePoints = machineChangePoints(history, s, options)
  return out
}

/**
 * Change points of one series, detected on each machine's runs apart: a change of machine is a change
 * of hardware, never a change point. Indexes are into the whole series; `fromCommit` is the commit of
 * the same machine's run before.
 */
function machineChangePoints(history: History, s: HtmlCaseSeries, options: ChangePointOptions): HtmlChangePoint[] {
  const byMachine = new Map<string, number[]>()
  s.run.forEach((runIndex, i) => {
    const id = history.runs[runIndex]!.machine.id
    let positions = byMachine.get(id)
    if (!positions) byMachine.set(id, (positions = []))
    positions.push(i)
  })
  const points: HtmlChangePoint[] = []
  for (const positions of byMachine.values()) {
    const p50 = positions.map((i) => s.p50[i]!)
    for (const cp of detectChangePoints(p50, options)) {
      points.push({
        index: positions[cp.index]!,
        change: cp.change,
        pValue: cp.pValue,
        fromCommit: history.runs[s.run[positions[cp.index - 1]!]!]?.commit ?? null,
        toCommit: history.runs[s.run[positions[cp.index]!]!]?.commit ?? null,
      })
    }
  }
  return points.sort((a, b) => a.index - b.index)
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
