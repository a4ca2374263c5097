// `report compact`: whole older days of NDJSON history moved into their month's Parquet file, losslessly.
// One row per line (file name, 1-based line number, verbatim text, zstd), so every reader gets back the
// lines, and the file:line names, the NDJSON files gave. Write a temp file, fsync, read every line back
// and compare it with the source bytes, rename into place, then remove the sources: a reader sees the
// NDJSON file while it exists (it wins over its copy), so a compaction killed at any point leaves a
// history that reads the same.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { unlinkSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { acquireLock } from '@ttapi/bench/file-lock'
import { CompactError, ReportError } from './errors.ts'
import { historyFiles } from './_history-lines.ts'
import { dayOf, isHistoryParquet, parquetNameOf, parquetTexts, sqlPath } from './_parquet-lines.ts'

/** The points of a month's compaction where {@link CompactHistoryOptions.onStep} is called. */
export type CompactStep = 'temp-written' | 'renamed' | 'first-source-removed'

/** Options of {@link compactHistory}. */
export interface CompactHistoryOptions {
  /** Days before this one (`YYYY-MM-DD`, UTC) are moved; this day and later ones stay NDJSON. */
  before: string
  /** Called after each step of each month (the tests interrupt the compaction here). */
  onStep?: (step: CompactStep, parquet: string) => void | Promise<void>
}

/** One month's Parquet file written by {@link compactHistory}. */
export interface CompactedMonth {
  /** The Parquet file (`2026-01.parquet`). */
  parquet: string
  /** The NDJSON files moved into it (and removed). */
  moved: string[]
  /** NDJSON files that changed while they were compacted: left in place (an NDJSON file wins over its copy). */
  kept: string[]
  /** Bytes of the NDJSON files moved. */
  ndjsonBytes: number
  /** Bytes of the month's Parquet file before (0 when there was none) and after. */
  parquetBytesBefore: number
  /** Bytes of the month's Parquet file after. */
  parquetBytes: number
}

/** What {@link compactHistory} did. */
export interface CompactHistoryResult {
  /** Absolute path of the history directory. */
  dir: string
  /** The months written, oldest first. */
  months: CompactedMonth[]
  /** Old NDJSON files left as they are, and why (not UTF-8: DuckDB cannot keep them verbatim). */
  skipped: { file: string; reason: string }[]
}

/** Temp files of a compaction (`.2026-01.parquet.<pid>.tmp`): a killed one's are removed by the next. */
const TEMP = /^\.\d{4}-\d{2}\.parquet\.\d+\.tmp$/

/**
 * Moves every dated NDJSON file of a history (`<YYYY-MM-DD>_<label>.ndjson`) older than `before` into its
 * month's Parquet file (`<YYYY-MM>.parquet`, zstd, rows in file then line order), merged with what the
 * month's file already holds. Each month: write a temp file, fsync it, read every line back and compare
 * each file's text with its source bytes, rename it into place, remove the NDJSON files. A second run
 * finds nothing to do; one after an interrupted run finishes it.
 * @param dir - the history directory.
 * @param options - the cut-off day and the step hook.
 * @throws HistoryError `REPORT_NO_HISTORY` when there is no history; CompactError `REPORT_COMPACT` when a
 *   month cannot be written or does not read back equal (its NDJSON files are then left as they are).
 * @example await compactHistory('benchmarks', { before: '2026-11-01' })
 */
export async function compactHistory(dir: string, options: CompactHistoryOptions): Promise<CompactHistoryResult> {
  const abs = resolve(dir)
  const byMonth = new Map<string, string[]>()
  for (const file of historyFiles(abs)) {
    const day = dayOf(file)
    if (isHistoryParquet(file) || !file.endsWith('.ndjson') || day === null || day >= options.before) continue
    const month = parquetNameOf(file)!
    byMonth.set(month, [...(byMonth.get(month) ?? []), file])
  }
  const result: CompactHistoryResult = { dir: abs, months: [], skipped: [] }
  if (byMonth.size === 0) return result
  // One compaction at a time: a second one would remove the temp file the first is writing. The short wait
  // lets a killed compaction's lock be removed on the first try and taken on the next.
  let holder: number | null = null
  const lock = await acquireLock(join(abs, COMPACT_LOCK), { timeoutMs: 500, onWait: (pid) => (holder = pid) }).catch(
    (error: unknown) => {
      throw new CompactError(
        `report compact: another compaction (pid ${String(holder)}) is compacting ${abs}; try again when it ends`,
        { cause: error },
      )
    },
  )
  try {
    for (const f of readdirSync(abs)) if (TEMP.test(f)) unlinkSync(join(abs, f))
    await compactMonths(abs, byMonth, result, options.onStep)
  } finally {
    lock.release()
  }
  return result
}

/** Lock file of a compaction in the history directory (git-ignored with the bench lock: `benchmarks/.lock*`). */
export const COMPACT_LOCK = '.lock-compact'

/** Each month in order, through one DuckDB connection. */
async function compactMonths(
  abs: string,
  byMonth: Map<string, string[]>,
  result: CompactHistoryResult,
  onStep: CompactHistoryOptions['onStep'],
): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  try {
    for (const [parquet, files] of [...byMonth].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const month = await compactMonth(connection, abs, parquet, files, result.skipped, onStep)
      if (month !== null) result.months.push(month)
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

/** One month: its NDJSON files (and what its Parquet file already holds) written, verified, renamed, removed. */
async function compactMonth(
  connection: DuckDBConnection,
  abs: string,
  parquet: string,
  files: string[],
  skipped: CompactHistoryResult['skipped'],
  onStep: CompactHistoryOptions['onStep'],
): Promise<CompactedMonth | null> {
  const sources = readSources(abs, files, skipped)
  if (sources.size === 0) return null
  const target = join(abs, parquet)
  const temp = join(abs, `.${parquet}.${process.pid}.tmp`)
  const before = existsSync(target) ? statSync(target).size : 0
  const expected = new Map([...sources].map(([f, s]) => [f, s.bytes]))
  // What the month's file already holds, but for the files compacted now (their NDJSON file wins).
  const carried = before > 0 ? await parquetTexts(connection, target) : new Map<string, string>()
  for (const [f, text] of carried) {
    const bytes = Buffer.from(text, 'utf8')
    const now = sources.get(f)?.bytes
    if (now === undefined) expected.set(f, bytes)
    // Left by an interrupted compaction, the NDJSON file is its copy (perhaps appended to since); a file
    // that does not begin with its copy was written after it: replacing the copy would lose its lines.
    else if (!now.subarray(0, bytes.length).equals(bytes))
      throw new CompactError(
        `report compact: ${f} (${now.length} bytes) does not begin with its ${bytes.length} bytes compacted in ` +
          `${parquet}: it was written after its day was compacted; ${parquet} and its NDJSON files are left as they are`,
      )
  }
  try {
    await writeMonth(connection, temp, abs, [...sources.keys()], carried.size > 0 ? target : null)
    fsyncPath(temp)
    await onStep?.('temp-written', parquet)
    await verifyMonth(connection, temp, parquet, expected)
  } catch (error) {
    if (existsSync(temp)) unlinkSync(temp)
    if (error instanceof ReportError) throw error
    throw new CompactError(`report compact: ${parquet} could not be written: ${(error as Error).message}`, {
      cause: error,
    })
  }
  renameSync(temp, target)
  fsyncPath(abs)
  await onStep?.('renamed', parquet)
  const moved: string[] = []
  const kept: string[] = []
  for (const [file, source] of sources) {
    const st = statSync(join(abs, file))
    // Appended to since it was read: its copy is not whole, so the NDJSON file stays (and wins).
    if (st.size !== source.size || st.mtimeMs !== source.mtimeMs) {
      kept.push(file)
      continue
    }
    unlinkSync(join(abs, file))
    moved.push(file)
    if (moved.length === 1) await onStep?.('first-source-removed', parquet)
  }
  fsyncPath(abs)
  const ndjsonBytes = moved.reduce((sum, f) => sum + sources.get(f)!.size, 0)
  return { parquet, moved, kept, ndjsonBytes, parquetBytesBefore: before, parquetBytes: statSync(target).size }
}

/** The NDJSON files' bytes, size and mtime; a file that is not UTF-8 is skipped (DuckDB keeps only UTF-8 text). */
function readSources(
  abs: string,
  files: string[],
  skipped: CompactHistoryResult['skipped'],
): Map<string, { bytes: Buffer; size: number; mtimeMs: number }> {
  const out = new Map<string, { bytes: Buffer; size: number; mtimeMs: number }>()
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  for (const file of files) {
    const st = statSync(join(abs, file))
    const bytes = readFileSync(join(abs, file))
    try {
      utf8.decode(bytes)
    } catch (error) {
      skipped.push({ file, reason: `not UTF-8 (${(error as Error).message}); left as NDJSON` })
      continue
    }
    out.set(file, { bytes, size: st.size, mtimeMs: st.mtimeMs })
  }
  return out
}

/** `COPY` of the files' lines (and the rows of `previous` for other files) to a zstd Parquet file, in file then line order. */
async function writeMonth(
  connection: DuckDBConnection,
  temp: string,
  abs: string,
  files: string[],
  previous: string | null,
): Promise<void> {
  const paths = files.map((f) => sqlPath(join(abs, f))).join(', ')
  const names = files.map((f) => sqlPath(f)).join(', ')
  const fresh =
    'SELECT file, CAST(line AS INTEGER) AS line, text FROM (' +
    `SELECT parse_filename(filename) AS file, unnest(range(1, len(l) + 1)) AS line, unnest(l) AS text ` +
    `FROM (SELECT filename, string_split(content, chr(10)) AS l FROM read_text([${paths}])))`
  const old =
    previous === null
      ? ''
      : ` UNION ALL SELECT file, line, text FROM read_parquet(${sqlPath(previous)}) WHERE file NOT IN (${names})`
  await connection.run(
    // Row groups of 2,048 lines (about 4 MB of text): a reader decompresses one group at a time, and the
    // groups' min/max of `file` let it skip the rest of the month when it wants one run's lines.
    `COPY (SELECT * FROM (${fresh}${old}) ORDER BY file, line) TO ${sqlPath(temp)} ` +
      '(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)',
  )
}

/** Reads the written file back: every file's lines numbered 1..n and, joined, equal to the expected bytes. */
async function verifyMonth(
  connection: DuckDBConnection,
  temp: string,
  parquet: string,
  expected: ReadonlyMap<string, Buffer>,
): Promise<void> {
  const back = await parquetTexts(connection, temp)
  const numbering = await connection.runAndReadAll(
    `SELECT file, min(line)::BIGINT, max(line)::BIGINT, count(*)::BIGINT FROM read_parquet(${sqlPath(temp)}) GROUP BY file`,
  )
  for (const [file, low, high, n] of numbering.getRows() as [string, bigint, bigint, bigint][])
    if (low !== 1n || high !== n)
      throw new CompactError(`report compact: ${parquet}: ${file} read back with lines ${low}..${high} for ${n} rows`)
  for (const [file, bytes] of expected) {
    const text = back.get(file)
    if (text === undefined || !Buffer.from(text, 'utf8').equals(bytes))
      throw new CompactError(
        `report compact: ${parquet}: ${file} reads back ${text === undefined ? 'missing' : `as ${Buffer.byteLength(text)} bytes`}, ` +
          `not its ${bytes.length} bytes; nothing removed`,
      )
  }
  if (back.size !== expected.size)
    throw new CompactError(`report compact: ${parquet} holds ${back.size} files, expected ${expected.size}`)
}

/** fsync of a file or a directory (so a rename or removal survives a crash). */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
