import { availableParallelism } from 'node:os'
import type { ColumnTable } from '@ttapi/columnar-io'
import { STATISTIC_COUNT, analyzeRows } from './_analyze-range.ts'
import { buildResult, checkProblem, prepare } from './_prepare.ts'
import { AnalysisPool } from './analysis-pool.ts'
import type { StandardAnalysisOptions, StandardAnalysisResult } from './types.ts'

/**
 * Every per-symbol statistic (see {@link STANDARD_STATISTICS}) in the calling thread: one result row per symbol.
 * @param table - sorted by (symbol, date)
 * @param options - risk-free rate, periods per year, benchmark (`workers` and `pool` are ignored)
 * @throws InvalidOptionError for a bad option, InvalidTableError for a table not sorted by (symbol, date)
 */
export function standardAnalysisSync(
  table: ColumnTable,
  options: StandardAnalysisOptions = {},
): StandardAnalysisResult {
  const prepared = prepare(table, options)
  const { stride } = prepared
  const target = {
    out: new Float64Array(STATISTIC_COUNT * stride),
    stride,
    claimed: new Int32Array(stride),
    startRow: new Int32Array(stride),
  }
  checkProblem(table, analyzeRows(prepared.columns, table.length, 0, table.length, target, prepared.params))
  return buildResult(table, target.out, stride, target.claimed, target.startRow, false, 1)
}

/**
 * Every per-symbol statistic, split by symbol over worker threads that read the columns from shared memory
 * (columns not backed by a SharedArrayBuffer are copied to shared memory for the call — once, not per worker; the result says so).
 * Small tables (`singleThreadBelowRows`) and `workers: 1` run in the calling thread. Without a `pool`, a pool is
 * started and closed for this call; pass an {@link AnalysisPool} to pay worker start-up once across calls.
 * @param table - sorted by (symbol, date)
 * @param options - see {@link StandardAnalysisOptions}
 * @throws InvalidOptionError, InvalidTableError, WorkerFailedError
 * @example
 * await using pool = new AnalysisPool()
 * const result = await standardAnalysis(table, { pool, benchmark: 'SPY' })
 * result.columns.sharpe[result.symbols.indexOf('AAPL')]
 */
export async function standardAnalysis(
  table: ColumnTable,
  options: StandardAnalysisOptions = {},
): Promise<StandardAnalysisResult> {
  if (options.pool !== undefined) return options.pool.standardAnalysis(table, options)
  const workers = options.workers ?? availableParallelism()
  if (workers <= 1 || table.length < (options.singleThreadBelowRows ?? 100_000)) {
    return standardAnalysisSync(table, options)
  }
  const pool = new AnalysisPool({ workers })
  try {
    return await pool.standardAnalysis(table, options)
  } finally {
    await pool.close()
  }
}
