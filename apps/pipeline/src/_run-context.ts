// What a run needs before its timed stages — directories, universe, data directory, cache, quote source — opened
// once: for one run by `runPipeline`, for every refresh by a `PipelineSession`.
import { isAbsolute, join, resolve } from 'node:path'
import { TtlCache } from '@ttapi/cache'
import type { CacheWarning } from '@ttapi/cache'
import { HttpQuoteSource, loadSymbols } from '@ttapi/collector'
import type { QuoteSource } from '@ttapi/collector'
import type { AnalysisPool } from '@ttapi/analysis'
import { LazyQuoteSource } from './_lazy-quote-source.ts'
import { prepareDirs } from './_prepare-dirs.ts'
import { resolvePaths, syntheticDataDir } from './paths.ts'
import type { PipelinePaths } from './paths.ts'
import { DEFAULT_FORMAT, ensureSyntheticMarket } from './synthetic-data.ts'
import type { Terminal } from './terminal.ts'
import type { SummaryLines } from './write-summary.ts'
import type { DataFormat, DatasetName, FailureRecord, KeptColumns, RunOptions, StageHistory } from './types.ts'

/** Default time to live of cached quotes: 15 minutes. */
export const DEFAULT_QUOTE_TTL_MS = 900_000

/** What a long-lived process keeps between runs; null in a one-shot run. */
export interface KeptState {
  /** Column buffers, their cache entry and the watched data fingerprint (the column cache's memory tier). */
  columns: KeptColumns
  /** Rendered per-symbol summary lines. */
  lines: SummaryLines
  /** The analysis worker pool (with `workers` > 1), or null: the calling thread. */
  pool: AnalysisPool | null
  /** The process's own last cold and cached run, for its stage table. */
  history: StageHistory
}

/** The opened inputs of runs. */
export interface RunContext {
  /** The options as given. */
  options: RunOptions
  /** Output. */
  terminal: Terminal
  /** Resolved directories. */
  paths: PipelinePaths
  /** Seed of the synthetic market and the embedded server. */
  seed: number
  /** Quote requests in flight. */
  concurrency: number
  /** Time to live of cached quotes, ms. */
  quoteTtlMs: number
  /** Largest failure share that exits 0. */
  maxFailureShare: number
  /** Analysis worker threads. */
  workers: number
  /** The universe as given. */
  universe: string
  /** Its symbols. */
  symbols: string[]
  /** Why the universe is unusable, or null. */
  universeError: string | null
  /** Bad lines of the universe file. */
  universeFailures: FailureRecord[]
  /** The synthetic dataset, or null with `--data`. */
  dataset: DatasetName | null
  /** The synthetic market's format, or null with `--data`. */
  format: DataFormat | null
  /** The data directory (absolute). */
  dataDir: string
  /** Why the synthetic market could not be written, or null. */
  generationError: string | null
  /** Quotes and column manifests. */
  cache: TtlCache
  /** Warnings the cache raised during the current run (emptied when a run starts). */
  warnings: CacheWarning[]
  /** Where quotes come from. */
  source: QuoteSource
  /** The quote source as the stage table's inputs name it. */
  sourceLabel: string
  /** Starts the source (the embedded server, or the HTTP client's pool). */
  startSource: () => Promise<unknown>
  /** What a long-lived process keeps, or null. */
  kept: KeptState | null
}

/**
 * Opens the inputs of runs. Expected failures (a bad universe, a market that cannot be generated) are kept in the
 * context for the stages to report; only unusable out or cache directories throw.
 * @param options - See {@link RunOptions}.
 * @param terminal - Output.
 * @param env - Environment (`TTAPI_HOME`).
 * @param kept - What a long-lived process keeps across runs, or null.
 * @throws PipelineError `PIPELINE_INPUT` for an out or cache directory that cannot be written
 */
export async function openRunContext(
  options: RunOptions,
  terminal: Terminal,
  env: NodeJS.ProcessEnv,
  kept: KeptState | null,
): Promise<RunContext> {
  const cwd = options.cwd ?? process.cwd()
  const seed = options.seed ?? 1
  const concurrency = options.concurrency ?? 100
  const quoteTtlMs = options.quoteTtlMs ?? DEFAULT_QUOTE_TTL_MS
  const paths = resolvePaths({ cwd, home: options.home, cacheDir: options.cacheDir, out: options.out }, env)
  prepareDirs(paths, options, env)
  const universe = await loadUniverse(options.universe ?? 'sp500', cwd)
  const data = await prepareData(options, paths, cwd, seed, terminal)
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
  return {
    options,
    terminal,
    paths,
    seed,
    concurrency,
    quoteTtlMs,
    maxFailureShare: options.maxFailureShare ?? 0,
    workers: options.workers ?? 1,
    ...universe,
    ...data,
    cache,
    warnings,
    ...quoteSource(options, seed, concurrency, terminal),
    kept,
  }
}

/** The universe's symbols; a bad universe fails the collection stage, and the import and analysis still run. */
async function loadUniverse(
  universe: string,
  cwd: string,
): Promise<Pick<RunContext, 'universe' | 'symbols' | 'universeError' | 'universeFailures'>> {
  const universeFailures: FailureRecord[] = []
  try {
    const list = await loadSymbols(
      universe === 'sp500' ? 'sp500' : { file: isAbsolute(universe) ? universe : resolve(cwd, universe) },
    )
    for (const issue of list.issues) {
      universeFailures.push({
        stage: 'collection',
        subject: issue.input,
        code: `symbol_${issue.kind}`,
        reason: issue.message,
      })
    }
    const universeError = list.symbols.length === 0 ? `universe ${universe} holds no valid symbol` : null
    return { universe, symbols: list.symbols, universeError, universeFailures }
  } catch (error) {
    const universeError = `cannot read the universe: ${(error as Error).message}`
    return { universe, symbols: [], universeError, universeFailures }
  }
}

/** The given data directory, or the synthetic market generated once and reused. */
async function prepareData(
  options: RunOptions,
  paths: PipelinePaths,
  cwd: string,
  seed: number,
  terminal: Terminal,
): Promise<Pick<RunContext, 'dataset' | 'format' | 'dataDir' | 'generationError'>> {
  if (options.data !== undefined && options.data !== null) {
    return { dataset: null, format: null, dataDir: resolve(cwd, options.data), generationError: null }
  }
  const dataset = options.dataset ?? 'quick'
  const format = options.format ?? DEFAULT_FORMAT
  const dataDir = syntheticDataDir(paths.dataRoot, dataset, format, seed)
  let generationError: string | null = null
  try {
    await ensureSyntheticMarket(dataDir, dataset, format, seed, terminal)
  } catch (error) {
    generationError = `cannot generate the synthetic market into ${dataDir}: ${(error as Error).message}`
    terminal.warn(generationError)
  }
  return { dataset, format, dataDir, generationError }
}

/**
 * A named server, or the embedded one in a child process (started before the timed stages of a cold run; a cached
 * run starts it only if it has to collect). Either way the HTTP client is loaded before the timed stages of a run
 * that collects, and not at all by one served from the cache.
 */
function quoteSource(
  options: RunOptions,
  seed: number,
  concurrency: number,
  terminal: Terminal,
): Pick<RunContext, 'source' | 'sourceLabel' | 'startSource'> {
  if (options.source !== undefined && options.source !== null) {
    const http = new HttpQuoteSource({ url: options.source, concurrency })
    return { source: http, sourceLabel: options.source, startSource: () => http.open() }
  }
  const server = { latencyMs: options.serverLatencyMs ?? 50, jitterMs: options.serverJitterMs ?? 20, seed }
  const lazy = new LazyQuoteSource(concurrency, server, (s) => terminal.info(`quote server: ${s.url} (pid ${s.pid})`))
  return {
    source: lazy,
    sourceLabel: `embedded quote server (latency ${server.latencyMs} ms +/- ${server.jitterMs} ms, seed ${seed})`,
    startSource: () => lazy.start(),
  }
}
