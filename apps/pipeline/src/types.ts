import type { ColumnTable } from '@ttapi/columnar-io'
import type { WatchedFingerprint } from './data-watch.ts'

// Public types and option interfaces of @ttapi/pipeline.

/** How `ttapi run` treats the cache: `cold` ignores it (and refills it), `cached` reuses what is fresh. */
export type RunMode = 'cold' | 'cached'

/** The stages of a run, in order. */
export type StageName = 'collection' | 'import' | 'analysis'

/** Where a stage's result came from. */
export type StageSource = 'source' | 'data' | 'cache' | 'computed' | 'skipped'

/** Outcome of a stage: `ok`, `partial` (some items failed) or `failed` (nothing usable). */
export type StageStatus = 'ok' | 'partial' | 'failed'

/** Sizes of the synthetic market: quick 500 x 2,760 days, full 10,000 x 2,760, tiny (tests only) 12 x 300. */
export type DatasetName = 'tiny' | 'quick' | 'full'

/** File formats the data directory can hold. */
export type DataFormat = 'metastock' | 'csv' | 'parquet'

/** One thing that went wrong in a stage: a symbol not collected, a file not imported, a cache file rejected. */
export interface FailureRecord {
  /** The stage it happened in. */
  stage: StageName
  /** What failed: a symbol, a file or a directory. */
  subject: string
  /** Stable machine-readable category (e.g. `connection`, `timeout`, `bad_record`, `cache_corrupt`). */
  code: string
  /** Human-readable reason. */
  reason: string
}

/** What one stage did and how long it took. */
export interface StageReport {
  /** Which stage. */
  stage: StageName
  /** Wall time of the stage in ms. */
  ms: number
  /** Where its result came from. */
  source: StageSource
  /** Outcome. */
  status: StageStatus
  /** Units handled (symbols collected, rows imported, symbols analysed). */
  items: number
  /** Units attempted. */
  attempted: number
  /** Units that failed. */
  failed: number
  /** `failed / attempted` (1 when the stage could not run at all, 0 when nothing was attempted). */
  failureShare: number
  /** Why a `cached` run did this stage cold (stale or corrupt cache), or null. */
  fallback: string | null
  /** One line describing the stage's result. */
  note: string
}

/** Options of {@link runPipeline}; every path is resolved against `cwd`. */
export interface RunOptions {
  /** `cold` or `cached`. @default 'cold' */
  mode?: RunMode
  /** `sp500` or the path of a symbol file (one symbol a line, or a CSV with a Symbol column). @default 'sp500' */
  universe?: string
  /** A data directory with MetaStock, CSV or Parquet history; null: the synthetic market in `home/data`. @default null */
  data?: string | null
  /** Size of the synthetic market when `data` is null. @default 'quick' */
  dataset?: DatasetName
  /** File format the synthetic market is written in. @default 'metastock' */
  format?: DataFormat
  /** URL of a quote server; null starts the embedded one in a child process. @default null */
  source?: string | null
  /** Latency of the embedded quote server in ms. @default 50 */
  serverLatencyMs?: number
  /** Jitter of the embedded quote server in ms (uniform +/-). @default 20 */
  serverJitterMs?: number
  /** Seed of the embedded quote server and the synthetic market. @default 1 */
  seed?: number
  /** Requests in flight during collection. @default 100 */
  concurrency?: number
  /** Time to live of cached quotes in ms. @default 900_000 (15 minutes) */
  quoteTtlMs?: number
  /** Where summaries and the stage history go. @default `<home>/out` */
  out?: string
  /** Cache directory. @default `<home>/cache` */
  cacheDir?: string
  /** Root of the default directories. @default `.ttapi` in `cwd` (or `TTAPI_HOME`) */
  home?: string
  /** Largest failure share of any stage that still exits 0. @default 0 */
  maxFailureShare?: number
  /** A symbol of the history to compute beta and correlation against. @default none (beta is null) */
  benchmark?: string | null
  /** Worker threads of the analysis for tables of 4M rows or more (1: the calling thread). @default 1 */
  workers?: number
  /** Working directory paths are resolved against. @default process.cwd() */
  cwd?: string
}

/** Options of {@link PipelineSession.open}: those of a run, `mode` applying to every refresh. */
export interface SessionOptions extends RunOptions {
  /** `cached` (refresh what expired or changed) or `cold` (every refresh collects and imports everything). @default 'cached' */
  mode?: RunMode
}

/** What {@link PipelineSession.refresh} returns. */
export interface RefreshResult extends RunResult {
  /** Whether the summary files were rewritten (false: a bad refresh left the last good ones). */
  written: boolean
  /** The refresh's number in the session, from 1. */
  refresh: number
  /** Per-symbol summary lines reused from the last refresh and rendered anew (both 0 when nothing was written). */
  lines: { reused: number; rendered: number }
}

/**
 * Column buffers a {@link PipelineSession} keeps across refreshes: the history is loaded into `table` when it is large
 * enough (fresh memory is slow to touch on small VMs), and which cached column file they hold (the column cache's
 * memory tier: a refresh whose column cache entry is the one the kept table holds uses the table as it is).
 */
export interface KeptColumns {
  /** The kept table, or null before the first run. */
  table: ColumnTable | null
  /**
   * The column cache entry `table` holds (the column file's path, size, inode, times and the data fingerprint), or
   * null when it holds anything else; set and cleared by the import stage.
   * @default null
   */
  holds?: string | null
  /**
   * The data directory's fingerprint, watched between runs so an unchanged directory is not stat'ed file by file; set
   * by the import stage. `close()` it when dropping the kept columns (its watchers never keep the process alive).
   * @default null
   */
  fingerprint?: WatchedFingerprint | null
}

/** The persisted timings of the last run of each kind, for the stage table. */
export interface StageHistory {
  /** Layout version. */
  version: 1
  /** The last cold run, or null. */
  cold: RecordedRun | null
  /** The last cached run, or null. */
  cached: RecordedRun | null
}

/** What makes two runs comparable in the stage table: the same data (and data files), universe and quote source. */
export interface StageInputs {
  /** The data directory (absolute). */
  data: string
  /** Its fingerprint (names, sizes, modification times of its files). */
  fingerprint: string
  /** The universe as given (`sp500` or a file) and a hash of the symbols it held. */
  universe: string
  /** The synthetic dataset, or null for `--data`. */
  dataset: string | null
  /** The quote source (a URL, or the embedded server with its latency and seed). */
  source: string
}

/** `stage-history.json`: the last cold and cached run of each set of inputs (most recent first, at most 16). */
export interface StageHistoryFile {
  /** Layout version. */
  version: 2
  /** Per set of inputs, its last good runs. */
  entries: (StageHistory & { inputs: StageInputs })[]
}

/** Stage timings of one recorded run. */
export interface RecordedRun {
  /** When it finished, ISO-8601 UTC. */
  at: string
  /** Symbols in its universe. */
  symbols: number
  /** Rows it analysed. */
  rows: number
  /** The data directory it read. */
  data: string
  /** Stage wall times in ms, and the total. */
  ms: Record<StageName | 'total', number>
  /** Stages of a cached run that fell back to cold. */
  fallbacks: StageName[]
}

/** Per-symbol line of the summary: the quote (when collected) and the standard statistics (when analysed). */
export interface SymbolSummary {
  /** Canonical symbol. */
  symbol: string
  /** Last price from the quote, or null when the quote failed. */
  last: number | null
  /** Day change of the quote in percent, or null. */
  changePct: number | null
  /** Standard statistics by name (NaN written as null), or null when the symbol has no history. */
  stats: Record<string, number | null> | null
}

/** Everything `summary.json` holds. */
export interface RunSummary {
  /** Schema id. */
  schema: 'ttapi.pipeline/v1'
  /** `cold` or `cached`. */
  mode: RunMode
  /** Start, ISO-8601 UTC. */
  startedAt: string
  /** End, ISO-8601 UTC. */
  finishedAt: string
  /** The exit code the run maps to. */
  exitCode: number
  /** Largest failure share allowed before exit 1. */
  maxFailureShare: number
  /** What the run read. */
  inputs: {
    universe: string
    symbols: number
    data: string
    dataset: DatasetName | null
    format: string | null
    source: string
    cacheDir: string
  }
  /** Stages in order. */
  stages: StageReport[]
  /** Wall time of the run in ms: the three stages and the cache writes (the summary files are written after). */
  totalMs: number
  /** Peak resident memory of the process by the end of the run, in bytes (`process.resourceUsage().maxRSS`). */
  peakRssBytes: number
  /** Everything that failed, in stage order. */
  failures: FailureRecord[]
  /** Per-symbol quote and statistics, in universe order then any symbol only in the history. */
  symbols: SymbolSummary[]
}

/** What {@link runPipeline} returns. */
export interface RunResult {
  /** The summary as written to `summary.json`. */
  summary: RunSummary
  /** Paths of the summary files, and of the stage history (null: a session keeps its own in memory). */
  files: { json: string; markdown: string; history: string | null }
  /** The stage table text (no colours). */
  table: string
  /** Stage history after this run. */
  history: StageHistory
}

/** A progress display of one stage (a bar on a TTY, plain lines otherwise). */
export interface ProgressHandle {
  /** Reports progress: `done` units so far, and an optional short detail. */
  update(done: number, detail?: string): void
  /** Ends the display and prints the stage's result line. */
  finish(line: string): void
}

/** Options of the `Terminal`. */
export interface TerminalOptions {
  /** Writes to stdout. */
  stdout: (text: string) => void
  /** Writes to stderr. */
  stderr: (text: string) => void
  /** Whether stderr is a terminal (bars are drawn there). */
  stderrIsTTY: boolean
  /** Whether ANSI colours are used. */
  color: boolean
  /** True in CI: plain lines. */
  ci: boolean
  /** `--quiet`: plain lines, only stage results and warnings. @default false */
  quiet?: boolean
  /** Terminal width. @default 80 */
  columns?: () => number
}
