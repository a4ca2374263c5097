import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import {
  concatTables,
  importCsv,
  isSharedTable,
  isSortedBySymbolDate,
  readParquet,
  sortBySymbolDate,
  toSharedTable,
} from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'
import type { CacheWarning, TtlCache } from '@ttapi/cache'
import { loadCachedColumns, storeCachedColumns } from './column-cache.ts'
import { currentFingerprint } from './data-watch.ts'
import { dailyBars, symbolsWithSharedDays } from './_intraday.ts'
import { readMetaStockDir, isMetaStockDir } from './_metastock.ts'
import type { Terminal } from './terminal.ts'
import { stageReport } from './_stage-report.ts'
import type { FailureRecord, KeptColumns, ProgressHandle, RunMode, StageReport } from './types.ts'

/** What the import stage needs. */
export interface ImportStageInput {
  /** `cold` imports the data files; `cached` loads the cached columns when they match the files. */
  mode: RunMode
  /** The data directory (absolute). */
  dataDir: string
  /** Cache of column manifests (`<cache>/columns`). */
  cache: TtlCache
  /** The cache directory. */
  cacheDir: string
  /** Output. */
  terminal: Terminal
  /** Warnings the cache raised (a corrupt manifest shows up here; the stage says so, naming the file). */
  warnings: CacheWarning[]
  /** Told the row count as soon as it is known (for a cache hit, before the columns are read). */
  onRows?: (rows: number) => void
  /**
   * Column buffers kept across runs: loaded into when large enough, left holding the imported table, and served
   * without reading the column file when they already hold the cached columns (the memory tier).
   */
  reuse?: KeptColumns
}

/** What the import stage produced. */
export interface ImportStageOutput {
  /** Stage report. */
  report: StageReport
  /** The history, sorted by (symbol, date), in shared memory; null when nothing could be imported. */
  table: ColumnTable | null
  /** Files that failed and records that were skipped. */
  failures: FailureRecord[]
  /** The background write of the imported columns to the cache (resolves to a warning or null). */
  cacheWrite: Promise<string | null> | null
  /** The data directory's fingerprint, or null when it could not be read. */
  fingerprint: string | null
}

const PARQUET = /\.parquet$/i
const CSV = /\.(csv|tsv|txt)$/i

/**
 * Stage 2: the end-of-day history. Cold imports every MetaStock directory, CSV and Parquet file of the data
 * directory and writes the columns to the cache in the background; cached loads the cached columns, falling back to
 * the import (and saying why) when they are missing, stale or corrupt.
 * @param input - See {@link ImportStageInput}.
 */
export async function importStage(input: ImportStageInput): Promise<ImportStageOutput> {
  const { mode, dataDir, terminal } = input
  const start = performance.now()
  const unreadable = (error: unknown): ImportStageOutput =>
    failedStage(start, dataDir, `cannot read the data directory ${dataDir}: ${(error as Error).message}`, terminal)
  let fingerprint: string
  try {
    fingerprint = await currentFingerprint(dataDir, input.reuse)
  } catch (error) {
    return unreadable(error)
  }
  let fallback: string | null = null
  if (mode === 'cached') {
    const cached = await fromCache(input, fingerprint, start)
    if ('report' in cached) return cached
    fallback = cached.fallback
  }
  let sources: Sources
  try {
    sources = await listSources(dataDir)
  } catch (error) {
    return unreadable(error)
  }
  if (sources.units === 0) {
    return failedStage(
      start,
      dataDir,
      `no history in ${dataDir}: expected a MetaStock directory (MASTER/EMASTER/XMASTER), *.csv or *.parquet files`,
      terminal,
    )
  }
  // The kept buffers may be overwritten from here on; they hold a cache entry again once it is written from them.
  if (input.reuse !== undefined) input.reuse.holds = null
  const read = await readSources(sources, input)
  const days = oneRowPerDay(read, dataDir, terminal)
  const { table } = days
  const failures = [...read.failures, ...days.failures]
  const failedFiles = days.duplicates === null ? read.failedFiles : sources.units
  if (table !== null) {
    input.onRows?.(table.length)
    if (input.reuse !== undefined) input.reuse.table = table
  }
  const ms = performance.now() - start
  const skipped = failures.length - failedFiles
  const status = table === null ? 'failed' : failures.length === 0 ? 'ok' : 'partial'
  const { units } = sources
  const note =
    days.duplicates !== null
      ? `not end-of-day data: ${days.duplicates}`
      : table === null
        ? `nothing imported from ${dataDir}`
        : `${table.length.toLocaleString('en-US')} rows of ${table.symbols.length} symbols from ${units} ${units === 1 ? 'source' : 'files'}` +
          `${failedFiles > 0 ? `, ${failedFiles} unreadable` : ''}${skipped > 0 ? `, ${skipped} records skipped` : ''}` +
          `${days.daily === null ? '' : `; intraday bars aggregated to daily`}`
  read.progress.finish(`EOD import: ${note} in ${Math.round(ms)} ms`)
  const cacheWrite =
    table === null
      ? null
      : storeCachedColumns(input.cache, input.cacheDir, dataDir, fingerprint, table, input.reuse).then(
          () => null,
          (error: unknown) => `cannot cache the imported columns: ${(error as Error).message}`,
        )
  return {
    report: stageReport('import', ms, 'data', status, table?.length ?? 0, units, failedFiles, fallback, note),
    table,
    failures,
    cacheWrite,
    fingerprint,
  }
}

/** The cached columns as the stage's output, or why the stage falls back to the import (said once, naming a file). */
async function fromCache(
  input: ImportStageInput,
  fingerprint: string,
  start: number,
): Promise<ImportStageOutput | { fallback: string }> {
  const { dataDir, terminal } = input
  const before = input.warnings.length
  const lookup = await loadCachedColumns(input.cache, input.cacheDir, dataDir, fingerprint, input.onRows, input.reuse)
  const corrupt = input.warnings.slice(before).find((w) => w.code === 'TTAPI_CACHE_CORRUPT')
  if (lookup.state === 'hit') {
    const ms = performance.now() - start
    const note = `${lookup.table.length.toLocaleString('en-US')} rows of ${lookup.table.symbols.length} symbols from the column cache (${lookup.tier})`
    terminal.result(`EOD import: ${note} in ${Math.round(ms)} ms`)
    return {
      report: stageReport('import', ms, 'cache', 'ok', lookup.table.length, 1, 0, null, note),
      table: lookup.table,
      failures: [],
      cacheWrite: null,
      fingerprint,
    }
  }
  // Damage is said once, naming the file: the manifest entry (the cache's warning) or the column file.
  const damaged =
    corrupt !== undefined
      ? { file: corrupt.file ?? '(column cache manifest)', reason: corrupt.reason ?? corrupt.message }
      : (lookup.corrupt ?? null)
  if (damaged === null) {
    terminal.warn(`EOD import fell back to cold: ${lookup.reason}`)
    return { fallback: lookup.reason }
  }
  terminal.warn(`cache: ${damaged.file}: ${damaged.reason}; re-importing from ${dataDir}`)
  return {
    fallback:
      corrupt !== undefined ? `corrupt column cache manifest: ${damaged.file}: ${damaged.reason}` : lookup.reason,
  }
}

/** The history sources of a data directory. */
interface Sources {
  /** The directory itself when it is a MetaStock directory. */
  metastock: string[]
  /** Its Parquet files. */
  parquet: string[]
  /** Its CSV files. */
  csv: string[]
  /** Sources in all. */
  units: number
}

async function listSources(dataDir: string): Promise<Sources> {
  const entries = (await readdir(dataDir)).sort()
  const parquet = entries.filter((e) => PARQUET.test(e)).map((e) => join(dataDir, e))
  const csv = entries.filter((e) => CSV.test(e)).map((e) => join(dataDir, e))
  const metastock = (await isMetaStockDir(dataDir)) ? [dataDir] : []
  return { metastock, parquet, csv, units: parquet.length + csv.length + metastock.length }
}

/** What reading the sources gave. */
interface ReadSources {
  /** The tables read. */
  tables: ColumnTable[]
  /** Intraday MetaStock symbols and why they are intraday. */
  intraday: Map<string, string>
  /** Unreadable sources and skipped records. */
  failures: FailureRecord[]
  /** Sources that could not be read. */
  failedFiles: number
  /** The stage's progress display (finished by the caller). */
  progress: ProgressHandle
}

/** Reads every source: MetaStock directories and Parquet files one by one, the CSV files in one parallel import. */
async function readSources(sources: Sources, input: ImportStageInput): Promise<ReadSources> {
  const { metastock, parquet, csv, units } = sources
  const progress = input.terminal.progress('EOD import', units, 'files')
  const out: ReadSources = { tables: [], intraday: new Map(), failures: [], failedFiles: 0, progress }
  const unreadable = (subject: string, error: unknown, files = 1): void => {
    out.failedFiles += files
    out.failures.push({ stage: 'import', subject, code: 'unreadable', reason: (error as Error).message })
  }
  let done = 0
  for (const dir of metastock) {
    try {
      // A single directory can fill the kept buffers; several are concatenated anyway.
      // A one-shot run (nothing kept) decodes a small directory on this thread rather than start workers.
      const into = units === 1 ? (input.reuse?.table ?? undefined) : undefined
      const result = await readMetaStockDir(dir, into, input.reuse === undefined)
      out.tables.push(result.table)
      for (const [symbol, why] of result.intraday) out.intraday.set(symbol, why)
      for (const issue of result.issues)
        out.failures.push({ stage: 'import', subject: issue.file, code: 'bad_record', reason: issue.message })
    } catch (error) {
      unreadable(dir, error)
    }
    progress.update(++done)
  }
  for (const file of parquet) {
    try {
      out.tables.push(await readParquet(file, { shared: true }))
    } catch (error) {
      unreadable(file, error)
    }
    progress.update(++done)
  }
  if (csv.length > 0) {
    try {
      const result = await importCsv(csv)
      out.tables.push(result.table)
      for (const issue of result.issues) {
        // Line 0 marks a whole file the CSV importer could not read (the rest imported).
        if (issue.line === 0) out.failedFiles++
        out.failures.push({
          stage: 'import',
          subject: issue.line === 0 ? issue.file : `${issue.file}:${issue.line}`,
          code: issue.line === 0 ? 'unreadable' : 'bad_record',
          reason: issue.message,
        })
      }
    } catch (error) {
      unreadable(join(dirname(csv[0]!), '*.csv'), error, csv.length)
    }
    done += csv.length
    progress.update(done)
  }
  return out
}

/**
 * The combined table with one row per symbol and day. Several rows of a symbol on one day: intraday bars become daily
 * ones (said in one line); duplicate daily rows fail the import, naming the symbol and the day (the analysis needs
 * one row per symbol and day).
 */
function oneRowPerDay(
  read: ReadSources,
  dataDir: string,
  terminal: Terminal,
): { table: ColumnTable | null; daily: string | null; duplicates: string | null; failures: FailureRecord[] } {
  const table = combine(read.tables)
  if (table === null) return { table, daily: null, duplicates: null, failures: [] }
  const shared = symbolsWithSharedDays(table)
  if (shared.length === 0) return { table, daily: null, duplicates: null, failures: [] }
  const notIntraday = shared.filter((x) => !read.intraday.has(x.symbol))
  if (notIntraday.length === 0) {
    const daily = dailyBars(table)
    const first = shared[0]!
    const who = shared.length === 1 ? first.symbol : `${shared.length} symbols (${first.symbol}, …)`
    const line =
      `${who} ${shared.length === 1 ? 'holds' : 'hold'} intraday bars (${read.intraday.get(first.symbol)}; ` +
      `${first.rows.toLocaleString('en-US')} rows on ${first.days.toLocaleString('en-US')} days, up to ${first.most} a day): ` +
      `${table.length.toLocaleString('en-US')} rows aggregated to ${daily.length.toLocaleString('en-US')} daily bars ` +
      `(first open, highest high, lowest low, last close, summed volume)`
    terminal.warn(`EOD import: ${line}`)
    return { table: daily, daily: line, duplicates: null, failures: [] }
  }
  const x = notIntraday[0]!
  const duplicates =
    `${x.symbol} has ${x.most} rows on ${isoDay(x.mostOn)} (${x.rows.toLocaleString('en-US')} rows on ` +
    `${x.days.toLocaleString('en-US')} days${notIntraday.length > 1 ? `; ${notIntraday.length - 1} more symbols too` : ''}): ` +
    `end-of-day data needs one row per symbol and day; remove the duplicate rows, or give intraday bars as ` +
    `MetaStock files of periodicity I (they are aggregated to daily bars)`
  return {
    table: null,
    daily: null,
    duplicates,
    failures: [{ stage: 'import', subject: dataDir, code: 'several_rows_per_day', reason: duplicates }],
  }
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10)
}

/** One table sorted by (symbol, date) in shared memory; when several sources hold one symbol, their rows merge. */
function combine(tables: ColumnTable[]): ColumnTable | null {
  if (tables.length === 0) return null
  let table = tables.length === 1 ? tables[0]! : concatTables(tables, { shared: true })
  if (!isSortedBySymbolDate(table)) table = sortBySymbolDate(table)
  return isSharedTable(table) ? table : toSharedTable(table)
}

function failedStage(start: number, dataDir: string, reason: string, terminal: Terminal): ImportStageOutput {
  terminal.result(`EOD import: failed: ${reason}`)
  return {
    report: stageReport('import', performance.now() - start, 'data', 'failed', 0, 1, 1, null, reason),
    table: null,
    failures: [{ stage: 'import', subject: dataDir, code: 'bad_data_dir', reason }],
    cacheWrite: null,
    fingerprint: null,
  }
}
