// After the stages: the stage history and table, the summary, and the summary files.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { StandardAnalysisResult } from '@ttapi/analysis'
import type { Quote } from '@ttapi/collector'
import type { RunContext } from './_run-context.ts'
import type { StagesOutput } from './_run-stages.ts'
import { HISTORY_FILE, historyFor, readStageHistory, writeStageHistory } from './stage-history.ts'
import { renderStageTable } from './stage-table.ts'
import { writeSummary } from './write-summary.ts'
import type { RunMode, RunResult, RunSummary, StageHistory, StageInputs, StageReport, SymbolSummary } from './types.ts'

/**
 * The exit code of a run: 1 when any stage failed a larger share of its items than allowed, else 0.
 * @param stages - The stage reports.
 * @param maxFailureShare - The largest share allowed.
 */
export function exitCodeFor(stages: readonly StageReport[], maxFailureShare: number): number {
  return stages.some((s) => s.failureShare > maxFailureShare) ? 1 : 0
}

/**
 * Records the run's stage timings, renders the table and the summary, and writes summary.json and summary.md
 * (atomically) unless `writeFiles` is false. A one-shot run records its timings in `<out>/stage-history.json`; a
 * long-lived process keeps its own in `ctx.kept.history` (its warm refreshes are not a one-shot run's figures).
 * @param ctx - The run's context.
 * @param mode - `cold` or `cached`.
 * @param startedAt - When the run started.
 * @param out - What the stages produced.
 * @param writeFiles - Write the summary files (a long-lived process keeps the last good ones).
 */
export function finishRun(
  ctx: RunContext,
  mode: RunMode,
  startedAt: Date,
  out: StagesOutput,
  writeFiles = true,
): RunResult {
  const { stages, fingerprint } = out
  const rows = out.analysis === null ? 0 : stages[1]!.items
  const recorded = {
    at: new Date().toISOString(),
    symbols: ctx.symbols.length,
    rows,
    data: ctx.dataDir,
    ms: { collection: stages[0]!.ms, import: stages[1]!.ms, analysis: stages[2]!.ms, total: out.totalMs },
    fallbacks: stages.filter((s) => s.fallback !== null).map((s) => s.stage),
  }
  // The table compares runs over the same inputs only, and a run with a failed stage is not recorded: its times are
  // not the stage's (a failed import takes 0.3 ms) and it must not replace the last good run.
  const inputs: StageInputs = {
    data: ctx.dataDir,
    fingerprint: fingerprint ?? '',
    universe: `${ctx.universe} (${ctx.symbols.length} symbols, ${createHash('sha256').update(ctx.symbols.join('\n')).digest('hex').slice(0, 12)})`,
    dataset: ctx.dataset,
    source: ctx.sourceLabel,
  }
  const failedStages = stages.filter((s) => s.status === 'failed').map((s) => s.stage)
  const record = failedStages.length === 0 && fingerprint !== null
  let runs: StageHistory
  let historyFile: string | null = null
  if (ctx.kept === null) {
    const history = readStageHistory(ctx.paths.out, (m) => ctx.terminal.warn(m))
    const written = record
      ? writeStageHistory(ctx.paths.out, history, inputs, mode, recorded)
      : { runs: historyFor(history, inputs), file: join(ctx.paths.out, HISTORY_FILE) }
    runs = written.runs
    historyFile = written.file
  } else {
    if (record) ctx.kept.history[mode] = recorded
    runs = ctx.kept.history
  }
  const table =
    failedStages.length === 0
      ? renderStageTable(runs, mode)
      : `${renderStageTable(runs, null)}This run is not in the table: ${failedStages.join(', ')} failed.\n`
  const summary: RunSummary = {
    schema: 'ttapi.pipeline/v1',
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    exitCode: exitCodeFor(stages, ctx.maxFailureShare),
    maxFailureShare: ctx.maxFailureShare,
    inputs: {
      universe: ctx.universe,
      symbols: ctx.symbols.length,
      data: ctx.dataDir,
      dataset: ctx.dataset,
      format: ctx.format,
      source: ctx.sourceLabel,
      cacheDir: ctx.paths.cache,
    },
    stages,
    totalMs: out.totalMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    failures: out.failures,
    symbols: symbolSummaries(ctx.symbols, out.quotes, out.analysis),
  }
  const json = join(ctx.paths.out, 'summary.json')
  const markdown = join(ctx.paths.out, 'summary.md')
  if (writeFiles) {
    const kept = ctx.kept === null ? undefined : { lines: ctx.kept.lines, reuse: mode === 'cached' }
    writeSummary(ctx.paths.out, summary, table, kept)
  }
  return { summary, files: { json, markdown, history: historyFile }, table, history: runs }
}

type StatsMaker = (columns: readonly Float64Array[], row: number) => Record<string, number | null>
let maker: { key: string; make: StatsMaker } | null = null

/**
 * A function building one symbol's statistics object, `names[j]` from `columns[j][row]` (NaN and infinities as null).
 * It is one object literal generated from the names, as ajv generates its validators: one shape for every symbol and
 * no store by computed name. For 503 symbols x 32 statistics, filling a copied template by name took 0.71 ms inside a
 * warm cached run and 2.6 ms in a scratch loop (the keyed stores go megamorphic); the literal takes 0.1 ms.
 */
function statsMaker(names: readonly string[]): StatsMaker {
  const key = names.join(',')
  if (maker?.key === key) return maker.make
  // The names are the analysis' column names (STANDARD_STATISTICS): identifiers, checked so no other text is compiled.
  const bad = names.find((n) => !/^[A-Za-z_$][\w$]*$/.test(n))
  if (bad !== undefined) throw new Error(`pipeline: statistic name ${JSON.stringify(bad)} is not an identifier`)
  const fields = names.map((n, j) => `${n}: f(c[${j}][r])`).join(', ')
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code built from the identifiers checked above
  const make = new Function('c', 'r', `const f = (v) => (v - v === 0 ? v : null); return { ${fields} }`) as StatsMaker
  maker = { key, make }
  return make
}

/** Per-symbol lines: the universe in order, then symbols that only the history has. */
function symbolSummaries(
  universe: readonly string[],
  quotes: Map<string, Quote>,
  analysis: StandardAnalysisResult | null,
): SymbolSummary[] {
  const row = new Map<string, number>()
  if (analysis !== null) analysis.symbols.forEach((s, i) => row.set(s, i))
  const names = analysis === null ? [] : (Object.keys(analysis.columns) as (keyof StandardAnalysisResult['columns'])[])
  const columns = analysis === null ? [] : names.map((name) => analysis.columns[name])
  const makeStats = statsMaker(names)
  const seen = new Set<string>()
  const out: SymbolSummary[] = []
  const add = (symbol: string): void => {
    if (seen.has(symbol)) return
    seen.add(symbol)
    const q = quotes.get(symbol)
    const r = row.get(symbol)
    const stats = analysis !== null && r !== undefined ? makeStats(columns, r) : null
    out.push({
      symbol,
      last: q?.last ?? null,
      changePct:
        q === undefined || !(q.previousClose > 0) ? null : ((q.last - q.previousClose) / q.previousClose) * 100,
      stats,
    })
  }
  for (const s of universe) add(s)
  if (analysis !== null) for (const s of analysis.symbols) add(s)
  return out
}
