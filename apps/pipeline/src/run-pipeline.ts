import { createHash } from 'node:crypto'
import { isAbsolute, join, resolve } from 'node:path'
import { TtlCache } from '@ttapi/cache'
import type { CacheWarning } from '@ttapi/cache'
import { HttpQuoteSource, loadSymbols } from '@ttapi/collector'
import type { Quote, QuoteSource } from '@ttapi/collector'
import type { StandardAnalysisResult } from '@ttapi/analysis'
import { AnalysisPool } from '@ttapi/analysis'
import { preloadParquetReader } from '@ttapi/columnar-io'
import { analysisStage, POOL_MIN_ROWS } from './analysis-stage.ts'
import { collectStage } from './collect-stage.ts'
import { importStage } from './import-stage.ts'
import { LazyQuoteSource } from './_lazy-quote-source.ts'
import { resolvePaths, syntheticDataDir } from './paths.ts'
import { prepareDirs } from './_prepare-dirs.ts'
import { HISTORY_FILE, historyFor, readStageHistory, writeStageHistory } from './stage-history.ts'
import { renderStageTable } from './stage-table.ts'
import { ensureSyntheticMarket } from './synthetic-data.ts'
import type { Terminal } from './terminal.ts'
import { writeSummary } from './write-summary.ts'
import type {
  DataFormat,
  FailureRecord,
  RunOptions,
  RunResult,
  RunSummary,
  StageInputs,
  StageReport,
  SymbolSummary,
} from './types.ts'

/** Format the synthetic market is written in by default. */
export const DEFAULT_FORMAT: DataFormat = 'metastock'
/** Default time to live of cached quotes: 15 minutes. */
const DEFAULT_QUOTE_TTL_MS = 900_000

/**
 * The exit code of a run: 1 when any stage failed a larger share of its items than allowed, else 0.
 * @param stages - The stage reports.
 * @param maxFailureShare - The largest share allowed.
 */
export function exitCodeFor(stages: readonly StageReport[], maxFailureShare: number): number {
  return stages.some((s) => s.failureShare > maxFailureShare) ? 1 : 0
}

/**
 * Runs the pipeline — collect quotes, import the history, analyse — then writes summary.md, summary.json and the
 * stage history to the out directory. Expected failures (unreachable source, failed symbols, a bad data directory,
 * a stale or corrupt cache) are reported in the result, never thrown.
 * @param options - See {@link RunOptions}.
 * @param terminal - Where progress and results are printed.
 * @param env - Environment (`TTAPI_HOME`).
 */
export async function runPipeline(
  options: RunOptions,
  terminal: Terminal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  const startedAt = new Date()
  const cwd = options.cwd ?? process.cwd()
  const mode = options.mode ?? 'cold'
  const seed = options.seed ?? 1
  const concurrency = options.concurrency ?? 100
  const quoteTtlMs = options.quoteTtlMs ?? DEFAULT_QUOTE_TTL_MS
  const maxFailureShare = options.maxFailureShare ?? 0
  const paths = resolvePaths({ cwd, home: options.home, cacheDir: options.cacheDir, out: options.out }, env)
  prepareDirs(paths, options, env)
  const history = readStageHistory(paths.out, (m) => terminal.warn(m))
  const failures: FailureRecord[] = []

  // Universe: a bad universe fails the collection stage; the import and analysis still run.
  const universe = options.universe ?? 'sp500'
  let symbols: string[] = []
  let universeError: string | null = null
  try {
    const list = await loadSymbols(
      universe === 'sp500' ? 'sp500' : { file: isAbsolute(universe) ? universe : resolve(cwd, universe) },
    )
    symbols = list.symbols
    for (const issue of list.issues) {
      failures.push({ stage: 'collection', subject: issue.input, code: `symbol_${issue.kind}`, reason: issue.message })
    }
    if (symbols.length === 0) universeError = `universe ${universe} holds no valid symbol`
  } catch (error) {
    universeError = `cannot read the universe: ${(error as Error).message}`
  }

  // Data: the given directory, or the synthetic market generated once and reused.
  const dataset = options.data === undefined || options.data === null ? (options.dataset ?? 'quick') : null
  const format = dataset === null ? null : (options.format ?? DEFAULT_FORMAT)
  const dataDir =
    dataset === null ? resolve(cwd, options.data!) : syntheticDataDir(paths.dataRoot, dataset, format!, seed)
  let generationError: string | null = null
  if (dataset !== null) {
    try {
      await ensureSyntheticMarket(dataDir, dataset, format!, seed, terminal)
    } catch (error) {
      generationError = `cannot generate the synthetic market into ${dataDir}: ${(error as Error).message}`
      terminal.warn(generationError)
    }
  }

  const warnings: CacheWarning[] = []
  const cache = new TtlCache({
    dir: join(paths.cache, 'entries'),
    ttl: quoteTtlMs,
    onWarning: (w) => {
      warnings.push(w)
      // A damaged cache file is said by the stage that falls back, in one line naming it (and the file is
      // reported by the cache once); anything else the cache says is printed as it comes.
      if (w.code !== 'TTAPI_CACHE_CORRUPT') terminal.warn(w.message)
    },
  })

  // Source: a named server, or the embedded one in a child process (started before the timed stages when cold; a
  // cached run starts it only if it has to collect). Either way the HTTP client is loaded before the timed stages of
  // a run that collects, and not at all by one served from the cache.
  let source: QuoteSource
  let sourceLabel: string
  let lazy: LazyQuoteSource | null = null
  let http: HttpQuoteSource | null = null
  if (options.source !== undefined && options.source !== null) {
    http = new HttpQuoteSource({ url: options.source, concurrency })
    source = http
    sourceLabel = options.source
    if (mode === 'cold' && universeError === null) await http.open()
  } else {
    const server = { latencyMs: options.serverLatencyMs ?? 50, jitterMs: options.serverJitterMs ?? 20, seed }
    lazy = new LazyQuoteSource(concurrency, server, (s) => terminal.info(`quote server: ${s.url} (pid ${s.pid})`))
    source = lazy
    sourceLabel = `embedded quote server (latency ${server.latencyMs} ms +/- ${server.jitterMs} ms, seed ${seed})`
    if (mode === 'cold' && universeError === null) await lazy.start().catch(() => undefined)
  }

  // The analysis runs in this thread unless asked for workers: on 2 cores a pool saves ~0.1 s on 27.6M rows but
  // costs ~70 MB and its start-up competes with the column load (README). When asked, a table large enough starts
  // the pool as soon as its size is known (a cache hit knows it before reading the columns).
  const workers = options.workers ?? 1
  let ownPool: AnalysisPool | null = null
  const onRows = (rows: number): void => {
    if (options.pool === undefined && ownPool === null && workers > 1 && rows >= POOL_MIN_ROWS) {
      ownPool = new AnalysisPool({ workers })
    }
  }

  // A cached run reads the column cache, a Parquet file: its reader's libraries load here, not inside the timed
  // import stage (everything else the run needs was loaded with the program).
  if (mode === 'cached') await preloadParquetReader().catch(() => undefined)

  const runStart = performance.now()
  let stages: StageReport[]
  let analysis: StandardAnalysisResult | null
  let quotes: Map<string, Quote>
  let fingerprint: string | null = null
  try {
    let collection: StageReport
    if (universeError !== null) {
      terminal.result(`symbol collection: failed: ${universeError}`)
      collection = {
        stage: 'collection',
        ms: 0,
        source: 'skipped',
        status: 'failed',
        items: 0,
        attempted: 0,
        failed: 0,
        failureShare: 1,
        fallback: null,
        note: universeError,
      }
      failures.push({ stage: 'collection', subject: universe, code: 'bad_universe', reason: universeError })
      quotes = new Map()
    } else {
      const prepare = lazy !== null ? (): Promise<unknown> => lazy.start() : (): Promise<unknown> => http!.open()
      const c = await collectStage({
        symbols,
        mode,
        cache,
        warnings,
        source,
        concurrency,
        ttlMs: quoteTtlMs,
        terminal,
        prepare,
      })
      collection = c.report
      quotes = c.quotes
      failures.push(...c.failures)
    }
    const imported = await importStage({
      mode,
      dataDir,
      cache,
      cacheDir: paths.cache,
      terminal,
      warnings,
      onRows,
      ...(options.reuse === undefined ? {} : { reuse: options.reuse }),
    })
    if (generationError !== null && imported.report.status === 'failed')
      imported.report.note = `${generationError}; ${imported.report.note}`
    failures.push(...imported.failures)
    fingerprint = imported.fingerprint
    const analysed = await analysisStage({
      table: imported.table,
      pool: options.pool ?? ownPool,
      workers,
      benchmark: options.benchmark ?? null,
      terminal,
    })
    failures.push(...analysed.failures)
    analysis = analysed.result
    stages = [collection, imported.report, analysed.report]
    for (const w of warnings) {
      if (
        w.code === 'TTAPI_CACHE_CORRUPT' &&
        !stages.some((st) => w.file !== undefined && st.fallback?.includes(w.file))
      )
        terminal.warn(w.message)
    }
    // The run is done when the caches hold what it produced.
    const cacheWarning = imported.cacheWrite === null ? null : await imported.cacheWrite
    if (cacheWarning !== null) terminal.warn(cacheWarning)
    await cache.flush()
  } finally {
    await source.close()
    await (ownPool as AnalysisPool | null)?.close()
  }
  const totalMs = performance.now() - runStart

  const exitCode = exitCodeFor(stages, maxFailureShare)
  const rows = analysis === null ? 0 : stages[1]!.items
  const recorded = {
    at: new Date().toISOString(),
    symbols: symbols.length,
    rows,
    data: dataDir,
    ms: { collection: stages[0]!.ms, import: stages[1]!.ms, analysis: stages[2]!.ms, total: totalMs },
    fallbacks: stages.filter((s) => s.fallback !== null).map((s) => s.stage),
  }
  // The table compares runs over the same inputs only, and a run with a failed stage is not recorded: its times are
  // not the stage's (a failed import takes 0.3 ms) and it must not replace the last good run.
  const inputs: StageInputs = {
    data: dataDir,
    fingerprint: fingerprint ?? '',
    universe: `${universe} (${symbols.length} symbols, ${createHash('sha256').update(symbols.join('\n')).digest('hex').slice(0, 12)})`,
    dataset,
    source: sourceLabel,
  }
  const failedStages = stages.filter((s) => s.status === 'failed').map((s) => s.stage)
  const written =
    failedStages.length === 0 && fingerprint !== null
      ? writeStageHistory(paths.out, history, inputs, mode, recorded)
      : { history, runs: historyFor(history, inputs), file: join(paths.out, HISTORY_FILE) }
  const table =
    failedStages.length === 0
      ? renderStageTable(written.runs, mode)
      : `${renderStageTable(written.runs, null)}This run is not in the table: ${failedStages.join(', ')} failed.\n`
  const summary: RunSummary = {
    schema: 'ttapi.pipeline/v1',
    mode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    exitCode,
    maxFailureShare,
    inputs: {
      universe,
      symbols: symbols.length,
      data: dataDir,
      dataset,
      format,
      source: sourceLabel,
      cacheDir: paths.cache,
    },
    stages,
    totalMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    failures,
    symbols: symbolSummaries(symbols, quotes, analysis),
  }
  const files = writeSummary(
    paths.out,
    summary,
    table,
    options.lines === undefined ? undefined : { lines: options.lines, reuse: mode === 'cached' },
  )
  return { summary, files: { ...files, history: written.file }, table, history: written.runs }
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
