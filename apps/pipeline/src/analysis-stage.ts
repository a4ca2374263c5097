import { AnalysisPool, standardAnalysisSync } from '@ttapi/analysis'
import type { StandardAnalysisResult } from '@ttapi/analysis'
import type { ColumnTable } from '@ttapi/columnar-io'
import { stageReport } from './_stage-report.ts'
import type { Terminal } from './terminal.ts'
import type { FailureRecord, StageReport } from './types.ts'

/** Rows from which a worker pool is used rather than the calling thread (see README for the measurement). */
export const POOL_MIN_ROWS = 4_000_000

/** What the analysis stage needs. */
export interface AnalysisStageInput {
  /** The imported history, sorted by (symbol, date); null when the import produced nothing. */
  table: ColumnTable | null
  /** A worker pool kept by the caller, or null: the stage starts one for a large table and analyses a small one here. */
  pool: AnalysisPool | null
  /** Worker threads of a pool the stage starts (1: always this thread). */
  workers: number
  /** A symbol of the table to compute beta and correlation against, or null. */
  benchmark: string | null
  /** Output. */
  terminal: Terminal
}

/** What the analysis stage produced. */
export interface AnalysisStageOutput {
  /** Stage report. */
  report: StageReport
  /** Per-symbol statistics, or null when the stage could not run. */
  result: StandardAnalysisResult | null
  /** Why it failed, when it did. */
  failures: FailureRecord[]
}

/**
 * Stage 3: the standard analysis (every per-symbol statistic of @ttapi/analysis), always recomputed: split over the
 * pool's worker threads reading the shared columns when they are up (or the table is large), else in this thread.
 * @param input - See {@link AnalysisStageInput}.
 */
export async function analysisStage(input: AnalysisStageInput): Promise<AnalysisStageOutput> {
  const { table, terminal } = input
  const start = performance.now()
  if (table === null) {
    const reason = 'no history was imported'
    terminal.result(`analysis: skipped: ${reason}`)
    return {
      report: stageReport('analysis', 0, 'skipped', 'failed', 0, 0, 0, null, reason, 1),
      result: null,
      failures: [{ stage: 'analysis', subject: 'history', code: 'no_input', reason }],
    }
  }
  const progress = terminal.progress('analysis', table.symbols.length, 'symbols')
  const benchmark = input.benchmark !== null && table.symbols.includes(input.benchmark) ? input.benchmark : undefined
  try {
    const options = benchmark === undefined ? {} : { benchmark }
    // Starting workers costs about 0.3 s (the tsx loader), so a pool is started only when asked for and only for
    // tables where splitting the work can win that back (measured: README).
    let result: StandardAnalysisResult
    if (input.pool !== null) result = await input.pool.standardAnalysis(table, options)
    else if (input.workers > 1 && table.length >= POOL_MIN_ROWS) {
      const pool = new AnalysisPool({ workers: input.workers })
      try {
        result = await pool.standardAnalysis(table, options)
      } finally {
        await pool.close()
      }
    } else result = standardAnalysisSync(table, options)
    const ms = performance.now() - start
    progress.update(result.length)
    const rate =
      ms > 0
        ? ` (${(((table.length / ms) * 1000) / 1e6).toFixed(1)}M rows/s, ${result.threads} thread${result.threads === 1 ? '' : 's'})`
        : ''
    const note = `${result.length} symbols, ${table.length.toLocaleString('en-US')} rows${rate}`
    progress.finish(`analysis: ${note} in ${Math.round(ms)} ms`)
    return {
      report: stageReport('analysis', ms, 'computed', 'ok', result.length, result.length, 0, null, note, 0),
      result,
      failures: [],
    }
  } catch (error) {
    const ms = performance.now() - start
    const reason = (error as Error).message
    progress.finish(`analysis: failed: ${reason}`)
    return {
      report: stageReport(
        'analysis',
        ms,
        'computed',
        'failed',
        0,
        table.symbols.length,
        table.symbols.length,
        null,
        reason,
        1,
      ),
      result: null,
      failures: [{ stage: 'analysis', subject: 'history', code: 'analysis_failed', reason }],
    }
  }
}
