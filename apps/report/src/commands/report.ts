import { join } from 'node:path'
import { compareRuns } from '../compare-runs.ts'
import { EnvMismatchError } from '../errors.ts'
import { lostRecordWarnings } from '../_lost-records.ts'
import { renderJson } from '../render-json.ts'
import { renderMarkdown } from '../render-markdown.ts'
import { renderTerminal } from '../render-terminal.ts'
import { loadComparedRuns } from '../load-compared-runs.ts'
import type { Comparison, History, ReportConfig, ReportContext, RunSelection } from '../types.ts'
import { COMMON_OPTIONS, emit, loadIndex, loadReportConfig, outputColumns, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { lineNumbers } from '../run-index.ts'
import type { RunIndex } from '../run-index.ts'
import { REPORT_FORMATS, REPORT_USAGE } from './_report-usage.ts'
import type { ReportFormat } from './_report-usage.ts'

/** Everything a renderer may use; a new `--format` adds one entry to {@link RENDERERS}. */
export interface RenderInput {
  /** Baseline vs current. */
  comparison: Comparison
  /** Where the data came from (history dir, counts, bad lines). */
  context: ReportContext
  /** The whole history (for charts over all runs). */
  history: History
  /** The two runs compared. */
  selection: RunSelection
  /** The report config in force. */
  config: ReportConfig
  /** Colour allowed (terminal on a TTY, not writing to a file). */
  color: boolean
  /** Width the terminal format fits (Infinity for `--wide` or `--out`). */
  columns: number
  /** The run index (the HTML trends read its aggregates, the highlights its newest runs). */
  index: RunIndex
}

/** Pairs of runs the HTML report's highlights judge for the streak (each is a full comparison); `report highlights` judges more. */
const HTML_STREAK_PAIRS = 10

/** `--format` name → renderer. */
export const RENDERERS: Record<ReportFormat, (input: RenderInput) => string | Promise<string>> = {
  terminal: (i) =>
    renderTerminal(i.comparison, i.context, { color: i.color, columns: i.columns, wide: !Number.isFinite(i.columns) }),
  md: (i) => renderMarkdown(i.comparison, i.context),
  json: (i) => renderJson(i.comparison, i.context),
  // The HTML report's modules (charts, highlights, profiles) load only when it is asked for.
  html: async (i) => {
    const [{ profileComparisons }, { buildHtmlInput }, { buildHighlights }, { renderHighlightsHtml }, html, agg, win] =
      await Promise.all([
        import('../profile-comparison.ts'),
        import('../html-input.ts'),
        import('../highlights.ts'),
        import('../render-highlights.ts'),
        import('../html-report.ts'),
        import('../run-aggregates.ts'),
        import('../window-series.ts'),
      ])
    const profiles = profileComparisons(join(i.history.dir, 'profiles'), i.comparison)
    // Trends from the per-(run, case) aggregates: no sample of the other runs is read. They draw the
    // baseline label's runs and the runs compared (all runs when none has the label), not every PR's.
    // The history lists every run; only the compared ones have their records loaded.
    const compared = new Set(i.history.runs.filter((r) => r.records.length > 0).map((r) => r.id))
    const trends = await agg.loadRunAggregates(i.index, {
      runs: agg.labelledRuns(i.index, i.config.baselineLabel, compared),
    })
    const input = buildHtmlInput({
      history: i.history,
      selection: i.selection,
      comparison: i.comparison,
      context: i.context,
      profiles: profiles.comparisons,
      changePoints: { label: i.config.baselineLabel },
      trends,
    })
    input.notes.push(...profiles.problems)
    // The highlights judge the newest pairs of baseline-label runs: those runs' records only.
    const recent = await newestRuns(i.index, i.config.baselineLabel, HTML_STREAK_PAIRS + 1)
    input.highlights = renderHighlightsHtml(buildHighlights(recent, i.config, { maxPairs: HTML_STREAK_PAIRS }))
    return html.renderHtmlReport(win.windowHtmlInput(input, { runs: HTML_FULL_RUNS }))
  },
}

/** Newest runs of each series the HTML charts draw in full; older runs are folded into buckets (`windowHtmlInput`). */
const HTML_FULL_RUNS = 200

/** The newest `count` runs labelled `label`, with their records (read and validated by `loadHistory`). */
async function newestRuns(index: RunIndex, label: string, count: number): Promise<History> {
  const lines = new Map<string, Set<number>>()
  for (const run of index.runs.filter((r) => r.label === label).slice(-count))
    for (const [file, ranges] of run.lines) {
      const set = lines.get(file) ?? new Set<number>()
      for (const l of lineNumbers(ranges)) set.add(l)
      lines.set(file, set)
    }
  if (lines.size === 0) return { dir: index.dir, files: index.files, recordCount: 0, runs: [], badLines: [] }
  const { loadHistory } = await import('../load-history.ts')
  return loadHistory(index.dir, { lines })
}

/**
 * The history and selection a format needs: every format reads the run index and only the compared
 * runs' records (`loadComparedRuns`); the HTML trends then read the index's aggregates.
 */
async function loadForFormat(
  values: { history?: string; config?: string; strict?: boolean; baseline?: string; current?: string },
  io: CommandIO,
): Promise<{ history: History; config: ReportConfig; selection: RunSelection; index: RunIndex }> {
  const config = loadReportConfig(values, io)
  const options = { baseline: values.baseline, current: values.current, baselineLabel: config.baselineLabel }
  const index = await loadIndex(values, io)
  const { history, selection } = await loadComparedRuns(index, options, values.strict === true)
  return { history, config, selection, index }
}

/** `report`: baseline vs current in the chosen format. */
export async function reportCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...COMMON_OPTIONS,
      baseline: { type: 'string' },
      current: { type: 'string' },
      'fail-on-regression': { type: 'boolean', default: false },
      'strict-env': { type: 'boolean', default: false },
      'cross-machine': { type: 'boolean', default: false },
      'judge-busy': { type: 'boolean', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(REPORT_USAGE)
    return 0
  }
  const format = pickFormat(values.format, REPORT_FORMATS, 'terminal') as ReportFormat
  const { history, config, selection, index } = await loadForFormat(values, io)
  const comparison = compareRuns(selection.baseline, selection.current, {
    config,
    baselines: selection.baselines,
    noComparable: selection.noComparable,
    crossMachine: values['cross-machine'],
    judgeBusy: values['judge-busy'],
  })
  if (comparison.fingerprintMismatch && values['strict-env'])
    throw new EnvMismatchError(
      `report: baseline ${comparison.baseline!.id} and current ${comparison.current.id} ran ` +
        `${comparison.cases.filter((x) => x.fingerprintMismatch).length} case(s) with different fingerprints; ` +
        `--strict-env refuses to compare them (${comparison.envDifferences.map((d) => d.field).join(', ') || 'fingerprint'})`,
    )
  const context: ReportContext = {
    historyDir: history.dir,
    files: history.files.length,
    records: history.recordCount,
    badLines: history.badLines,
  }
  const text = await RENDERERS[format]({
    comparison,
    context,
    history,
    selection,
    config,
    color: io.color && values.out === undefined && format === 'terminal',
    columns: outputColumns(values, io),
    index,
  })
  emit(text, values.out, io)
  if (values.out !== undefined || format !== 'terminal')
    for (const w of lostRecordWarnings(comparison, context)) io.stderr(`report: ${w}\n`)
  if (comparison.fingerprintMismatch && (values.out !== undefined || format !== 'terminal'))
    io.stderr('report: WARNING: baseline and current ran in different environments (fingerprints differ)\n')
  if (values['fail-on-regression'] && comparison.counts.regressed > 0) {
    io.stderr(`report: ${comparison.counts.regressed} case(s) regressed (--fail-on-regression)\n`)
    return 1
  }
  return 0
}
