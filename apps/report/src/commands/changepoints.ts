import { UsageError } from '../errors.ts'
import { caseSeries } from '../html-input.ts'
import { caseKey } from '../load-history.ts'
import { resolveCaseKey } from '../case-history.ts'
import { COMMON_OPTIONS, emit, loadIndex, loadReportConfig, outputColumns, parse, pickFormat } from './_common.ts'
import { fitTable, wrap } from '../_text-width.ts'
import type { CommandIO } from './_common.ts'
import type { HtmlCaseSeries } from '../html-report.ts'
import type { AggregatedHistory } from '../run-aggregates.ts'

export const CHANGEPOINTS_USAGE = `Usage: report changepoints [case] [--max-p 1e-5] [--window 50] [--min-magnitude 0]
                           [--format terminal|json] [--history DIR] [--out FILE] [--wide]
  Change points of each case's p50 over the history (E-divisive means, t-test confirmed, as Apache
  Otava), each with the commit range in which it happened; a case measured on several machines has
  one series per machine, so a machine change is never a change point. Points are found among the
  runs labelled as the baseline (main; other runs are judged by \`report\`). [case] is a case name,
  suite/case or package/suite/case. The table fits the terminal; --wide shows every column.
`

function num(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n))
    throw new UsageError(`report: expected --${name} to be a number, got ${JSON.stringify(value)}`)
  return n
}

/** `report changepoints [case]`: lists change points with their commit ranges. */
export async function changepointsCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...COMMON_OPTIONS, 'max-p': { type: 'string' }, window: { type: 'string' }, 'min-magnitude': { type: 'string' } },
    true,
  )
  if (values.help) {
    io.stdout(CHANGEPOINTS_USAGE)
    return 0
  }
  if (positionals.length > 1)
    throw new UsageError(`report: changepoints takes at most one case, got ${positionals.length}`)
  const format = pickFormat(values.format, ['terminal', 'json'], 'terminal')
  // Per-(run, case) aggregates from DuckDB, cached per file beside the run index: no sample is read.
  const { labelledRuns, loadRunAggregates } = await import('../run-aggregates.ts')
  const config = loadReportConfig(values, io)
  const index = await loadIndex(values, io)
  // Points are found among the baseline-labelled runs: only theirs are read (all runs when none has the label).
  const history = await loadRunAggregates(index, {
    runs: labelledRuns(index, config.baselineLabel),
    case: positionals[0],
  })
  const options = {
    label: config.baselineLabel,
    maxPValue: num(values['max-p'], 'max-p', 1e-5),
    window: num(values.window, 'window', 50),
    minMagnitude: num(values['min-magnitude'], 'min-magnitude', 0),
  }
  if (positionals[0] !== undefined) {
    // One case: only its series go through the detector.
    const key = resolveCaseKey(history.keys ?? new Set(history.aggregates.map((s) => s.key)), positionals[0])
    history.aggregates = history.aggregates.filter((s) => s.key === key)
  }
  const series = caseSeries(history, options)
  const rows = changePointRows(history, series)
  if (format === 'json') {
    emit(`${JSON.stringify({ options, change_points: rows }, null, 2)}\n`, values.out, io)
    return 0
  }
  emit(changePointsText(history, rows, options, outputColumns(values, io)), values.out, io)
  return 0
}

/** The settings change points are found with. */
interface ChangePointOptions {
  /** The label of the runs the points are found among. */
  label: string
  /** The largest p-value of a point. */
  maxPValue: number
  /** Runs each side of a point that the test sees. */
  window: number
  /** The smallest relative change of a point. */
  minMagnitude: number
}

/** One change point as the JSON output lists it. */
interface ChangePointRow {
  /** `package/suite/case` */
  case: string
  /** The harness profile of the series. */
  profile: string
  /** The machine of the series. */
  machine: string
  /** The change of the p50 mean, in percent. */
  change_pct: number
  /** The point's p-value. */
  p_value: number
  /** The mean p50 of the same machine's runs before the point, in ms. */
  p50_before_ms: number
  /** The same machine's last run before the point. */
  last_run_before: { id: string; date: string; commit: string | null }
  /** The first run after the point. */
  first_run_after: { id: string; date: string; commit: string | null }
  /** `before..after` of the two runs' commits (12 digits), or null without both. */
  commit_range: string | null
}

/** Every change point of the series, with the runs (and commits) either side of it. */
function changePointRows(history: AggregatedHistory, series: HtmlCaseSeries[]): ChangePointRow[] {
  return series.flatMap((s) =>
    s.changePoints.map((cp) => {
      const after = history.runs[s.run[cp.index]!]!
      // Points are found per machine: the run before is the same machine's previous run.
      let k = cp.index - 1
      while (k > 0 && history.runs[s.run[k]!]!.machine.id !== after.machine.id) k--
      const before = history.runs[s.run[k]!]!
      return {
        case: caseKey(s),
        profile: s.profile ?? 'quick',
        machine: s.machine ?? after.machine.name,
        change_pct: cp.change * 100,
        p_value: cp.pValue,
        p50_before_ms: mean(
          s.p50.filter((_, i) => i < cp.index && history.runs[s.run[i]!]!.machine.id === after.machine.id),
        ),
        last_run_before: { id: before.id, date: before.date, commit: before.commit },
        first_run_after: { id: after.id, date: after.date, commit: after.commit },
        commit_range:
          before.commit && after.commit ? `${before.commit.slice(0, 12)}..${after.commit.slice(0, 12)}` : null,
      }
    }),
  )
}

/** The terminal table of the change points, fitted to `columns`. */
function changePointsText(
  history: AggregatedHistory,
  rows: ChangePointRow[],
  options: ChangePointOptions,
  columns: number,
): string {
  const lines = wrap(
    `Change points over ${history.runs.length} runs (p <= ${options.maxPValue}, window ${options.window}, min magnitude ${options.minMagnitude}):`,
    columns,
    2,
  )
  if (rows.length === 0) lines.push('  none')
  else {
    const { lines: body, hidden } = fitTable(
      [
        { header: 'case', shrink: true },
        { header: 'p50 change', right: true },
        { header: 'commits' },
        { header: 'between', drop: 1 },
        { header: 'machine', drop: 2 },
        { header: 'p', right: true, drop: 3 },
      ],
      rows.map((r) => [
        `${r.case.replace(/\/([^/]+)\/([^/]+)$/, ' › $1 › $2')}${r.profile === 'quick' ? '' : ` (${r.profile})`}`,
        `${r.change_pct >= 0 ? '+' : ''}${r.change_pct.toFixed(1)}%`,
        r.last_run_before.commit && r.first_run_after.commit
          ? `${r.last_run_before.commit.slice(0, 7)}..${r.first_run_after.commit.slice(0, 7)}`
          : 'unknown',
        `${r.last_run_before.date} → ${r.first_run_after.date}`,
        r.machine,
        r.p_value.toExponential(1),
      ]),
      columns,
      '  ',
    )
    lines.push(...body)
    if (hidden.length > 0)
      lines.push(...wrap(`  (${hidden.join(', ')} left out to fit ${columns} columns; --wide shows them)`, columns, 2))
  }
  return `${lines.join('\n')}\n`
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
}
