// The timed part of a run: the three stages in order, then the cache writes they started.
import type { StandardAnalysisResult } from '@ttapi/analysis'
import { AnalysisPool } from '@ttapi/analysis'
import type { Quote } from '@ttapi/collector'
import { preloadParquetReader } from '@ttapi/columnar-io'
import { loadColumnChecksum } from './_column-checksum.ts'
import { analysisStage, POOL_MIN_ROWS } from './analysis-stage.ts'
import { collectStage } from './collect-stage.ts'
import { importStage } from './import-stage.ts'
import type { RunContext } from './_run-context.ts'
import type { FailureRecord, RunMode, StageReport } from './types.ts'

/** What the stages of one run produced. */
export interface StagesOutput {
  /** The three stage reports, in order. */
  stages: StageReport[]
  /** Quotes by symbol. */
  quotes: Map<string, Quote>
  /** The statistics, or null when the analysis could not run. */
  analysis: StandardAnalysisResult | null
  /** The data directory's fingerprint, or null when it could not be read. */
  fingerprint: string | null
  /** Everything that failed, in stage order. */
  failures: FailureRecord[]
  /** Wall time from the first stage to the end of the cache writes (and, in a one-shot run, the source's close). */
  totalMs: number
}

/**
 * Runs the stages of one run over an opened context. A one-shot run (no kept state) closes the quote source and its
 * own worker pool inside the timed total, as the process ends after it.
 * @param ctx - The opened context.
 * @param mode - `cold` or `cached`.
 */
export async function runStages(ctx: RunContext, mode: RunMode): Promise<StagesOutput> {
  ctx.warnings.length = 0
  if (mode === 'cold' && ctx.universeError === null) await ctx.startSource().catch(() => undefined)
  // The analysis runs in this thread unless asked for workers: on 2 cores a pool saves ~0.1 s on 27.6M rows but
  // costs ~70 MB and its start-up competes with the column load (README). When asked, a table large enough starts
  // the pool as soon as its size is known (a cache hit knows it before reading the columns). A long-lived process
  // keeps its own pool.
  let ownPool: AnalysisPool | null = null
  const onRows = (rows: number): void => {
    if (ctx.kept === null && ownPool === null && ctx.workers > 1 && rows >= POOL_MIN_ROWS) {
      ownPool = new AnalysisPool({ workers: ctx.workers })
    }
  }
  // A cached run reads the column cache, a Parquet file, and checks its checksum: the reader's libraries and the
  // hash's native addon load here, not inside the timed import stage (everything else the run needs was loaded with
  // the program), and not between the column file's footer and its pages, where the addon held up every page read.
  if (mode === 'cached') {
    await preloadParquetReader().catch(() => undefined)
    try {
      loadColumnChecksum()
    } catch {
      // No addon for this system: the cached load says so when it checks the file, and falls back to the source.
    }
  }

  const start = performance.now()
  let out: Omit<StagesOutput, 'totalMs'>
  try {
    out = await stagesInOrder(ctx, mode, onRows, () => ownPool)
  } finally {
    if (ctx.kept === null) await ctx.source.close()
    await (ownPool as AnalysisPool | null)?.close()
  }
  return { ...out, totalMs: performance.now() - start }
}

/** Collection, import and analysis, then the cache writes they started. */
async function stagesInOrder(
  ctx: RunContext,
  mode: RunMode,
  onRows: (rows: number) => void,
  ownPool: () => AnalysisPool | null,
): Promise<Omit<StagesOutput, 'totalMs'>> {
  const { terminal } = ctx
  const failures: FailureRecord[] = [...ctx.universeFailures]
  const collected = await collect(ctx, mode)
  failures.push(...collected.failures)
  const imported = await importStage({
    mode,
    dataDir: ctx.dataDir,
    cache: ctx.cache,
    cacheDir: ctx.paths.cache,
    terminal,
    warnings: ctx.warnings,
    onRows,
    ...(ctx.kept === null ? {} : { reuse: ctx.kept.columns }),
  })
  if (ctx.generationError !== null && imported.report.status === 'failed')
    imported.report.note = `${ctx.generationError}; ${imported.report.note}`
  failures.push(...imported.failures)
  const analysed = await analysisStage({
    table: imported.table,
    pool: ctx.kept?.pool ?? ownPool(),
    workers: ctx.kept === null ? ctx.workers : 1,
    benchmark: ctx.options.benchmark ?? null,
    terminal,
  })
  failures.push(...analysed.failures)
  const stages = [collected.report, imported.report, analysed.report]
  for (const w of ctx.warnings) {
    if (w.code === 'TTAPI_CACHE_CORRUPT' && !stages.some((st) => w.file !== undefined && st.fallback?.includes(w.file)))
      terminal.warn(w.message)
  }
  // The run is done when the caches hold what it produced.
  const cacheWarning = imported.cacheWrite === null ? null : await imported.cacheWrite
  if (cacheWarning !== null) terminal.warn(cacheWarning)
  await ctx.cache.flush()
  return { stages, quotes: collected.quotes, analysis: analysed.result, fingerprint: imported.fingerprint, failures }
}

/** Stage 1, or its failed report when the universe is unusable. */
async function collect(
  ctx: RunContext,
  mode: RunMode,
): Promise<{ report: StageReport; quotes: Map<string, Quote>; failures: FailureRecord[] }> {
  if (ctx.universeError !== null) {
    ctx.terminal.result(`symbol collection: failed: ${ctx.universeError}`)
    return {
      report: {
        stage: 'collection',
        ms: 0,
        source: 'skipped',
        status: 'failed',
        items: 0,
        attempted: 0,
        failed: 0,
        failureShare: 1,
        fallback: null,
        note: ctx.universeError,
      },
      quotes: new Map(),
      failures: [{ stage: 'collection', subject: ctx.universe, code: 'bad_universe', reason: ctx.universeError }],
    }
  }
  return collectStage({
    symbols: ctx.symbols,
    mode,
    cache: ctx.cache,
    warnings: ctx.warnings,
    source: ctx.source,
    concurrency: ctx.concurrency,
    ttlMs: ctx.quoteTtlMs,
    terminal: ctx.terminal,
    prepare: ctx.startSource,
  })
}
