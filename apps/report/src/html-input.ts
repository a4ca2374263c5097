import { detectChangePoints } from './changepoints.ts'
import type { ChangePointOptions } from './changepoints.ts'
import { formatChange, gateChange } from './_format.ts'
import { headline, unconfirmedSlowdowns } from './headline.ts'
import type { HtmlCaseSeries, HtmlCaseVerdict, HtmlProfileComparison, HtmlReportInput } from './html-report.ts'
import { historyAggregates } from './run-aggregates.ts'
import type { AggregatedHistory, RunMeta } from './run-aggregates.ts'
import type { IndexedRun } from './run-index.ts'
import { verdictTable } from './render-markdown.ts'
import { reportNotes } from './summary.ts'
import type { Comparison, History, ReportContext, Run, RunSelection } from './types.ts'

/** Options of {@link caseSeries}: the detector's, and which runs make the history a change point is found in. */
export interface CaseSeriesOptions extends ChangePointOptions {
  /** Label of the runs change points are found among (other runs are drawn, not detected on). @default 'main' */
  label?: string
}

/**
 * Per case, profile and machine, its p5/p50/p95 and throughput over every run of the history (oldest
 * first), with change points of the p50 series and the commit range each one happened in. A case measured
 * on two machines is two series, so a machine change is never a change point. Change points are found
 * among the runs labelled `label` (the branch's history; a pull request's run is judged by the report,
 * and one slow run at the end would hide a real step before it), or among all runs when none has it.
 * @param history - the run aggregates (`loadRunAggregates`: no sample read), or a loaded history (aggregated in JS).
 */
export function caseSeries(history: History | AggregatedHistory, options: CaseSeriesOptions = {}): HtmlCaseSeries[] {
  const { runs, aggregates } = 'aggregates' in history ? history : historyAggregates(history)
  const out: HtmlCaseSeries[] = aggregates.map((s) => ({
    package: s.package,
    suite: s.suite,
    case: s.case,
    unit: s.unit,
    profile: s.profile,
    machine: runs[s.run[0]!]!.machine.name,
    run: s.run,
    p5: s.p5,
    p50: s.p50,
    p95: s.p95,
    throughput: s.itemsPerS,
    changePoints: [],
  }))
  const label = options.label ?? 'main'
  for (const s of out) {
    let at = s.run.flatMap((runIndex, i) => (runs[runIndex]!.label === label ? [i] : []))
    if (at.length === 0) at = s.run.map((_, i) => i)
    const p50 = at.map((i) => s.p50[i]!)
    s.changePoints = detectChangePoints(p50, options).map((cp) => ({
      index: at[cp.index]!,
      change: cp.change,
      pValue: cp.pValue,
      fromCommit: runs[s.run[at[cp.index - 1]!]!]?.commit ?? null,
      toCommit: runs[s.run[at[cp.index]!]!]?.commit ?? null,
    }))
  }
  return out
}

/** Assembles everything the HTML report shows from the history, the comparison and the trends. */
export function buildHtmlInput(opts: {
  history: History
  selection: RunSelection
  comparison: Comparison
  context: ReportContext
  profiles?: HtmlProfileComparison[]
  changePoints?: CaseSeriesOptions
  /** Per-(run, case) aggregates (`loadRunAggregates`) the trends are drawn from; without, every record of `history`. */
  trends?: AggregatedHistory
  now?: Date
}): HtmlReportInput {
  const { history, selection, comparison } = opts
  const runs: readonly RunMeta[] = opts.trends?.runs ?? history.runs
  const runIndex = (id: string | undefined): number | null => {
    if (id === undefined) return null
    const i = runs.findIndex((r) => r.id === id)
    return i < 0 ? null : i
  }
  const env = selection.current.env
  return {
    title: `ttapi benchmark report — ${selection.current.label} ${selection.current.date}`,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    runs: runs.map((r) => ({
      id: r.id,
      startedAt: r.startedAt,
      label: r.label,
      commit: r.commit,
      fingerprint: r.fingerprint,
      machine: r.machine.name,
      // An indexed run counts its cases; a loaded one holds its records.
      cases: (r as Partial<IndexedRun>).cases ?? (r as Partial<Run>).records?.length ?? 0,
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
    series: caseSeries(opts.trends ?? history, opts.changePoints),
    profiles: opts.profiles ?? [],
    notes: reportNotes(comparison, opts.context),
    headline: headline(comparison),
    cases: caseVerdicts(comparison),
    thresholdPct: comparison.settings.thresholds.p95 ?? comparison.settings.thresholds.p50 ?? 10,
  }
}

/**
 * Every case's verdict in impact order (regressed, slower but not confirmed, improved, unstable,
 * inconclusive, not judged, added, removed, then the rest), with the change to show first.
 */
export function caseVerdicts(c: Comparison): HtmlCaseVerdict[] {
  const slow = new Map(unconfirmedSlowdowns(c).map((s) => [s.case, s]))
  const order = ['regressed', 'slower', 'improved', 'unstable', 'inconclusive', 'not_judged', 'added', 'removed']
  const rows = c.cases.map((x) => {
    const s = slow.get(x)
    const status =
      s !== undefined
        ? 'slower'
        : x.unstable !== null && (x.status === 'unchanged' || x.status === 'inconclusive')
          ? 'unstable'
          : x.status
    let change = gateChange(x)
    if (s !== undefined && x.intervals !== null) {
      const i = x.intervals[s.metric]
      change = `${s.metric} ${formatChange((i.ratio - 1) * 100)} [${formatChange((i.low - 1) * 100)}, ${formatChange((i.high - 1) * 100)}]`
    } else if (x.status === 'not_judged' || change === '')
      change = x.p50.changePct === null ? '' : `p50 ${formatChange(x.p50.changePct)} (ratio only)`
    const rank = order.indexOf(status)
    const size = Math.abs(Math.log(x.intervals?.p95.ratio ?? 1 + (x.p50.changePct ?? 0) / 100))
    return {
      row: {
        key: `${x.package}/${x.suite}/${x.case}`,
        package: x.package,
        name: `${x.suite} › ${x.case}`,
        status,
        change,
        reason: x.reason,
      },
      rank: rank < 0 ? order.length : rank,
      size: Number.isFinite(size) ? size : 0,
    }
  })
  return rows.sort((a, b) => a.rank - b.rank || b.size - a.size).map((r) => r.row)
}
