import { basename, join, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { BenchRecord } from '@ttapi/bench'
import { HistoryError } from './errors.ts'
import { checkLine, historyFiles, noValidRecord, strictError, v1Records } from './_history-lines.ts'
import { containerOf, isHistoryParquet, ParquetLines, parquetNameOf, parquetTexts, sqlPath } from './_parquet-lines.ts'
import { markLostRecords } from './_lost-records.ts'
import type { BadLine, History, HistoryRecord, LoadHistoryOptions, Run } from './types.ts'

/**
 * Reads every `*.ndjson` file of a history directory with DuckDB in-process (and the days `report compact`
 * moved into `<YYYY-MM>.parquet` files, each giving back its files' lines verbatim), validates every line
 * with the harness's schema (`validateRecord` from `@ttapi/bench`) and groups the records into runs.
 * DuckDB reads each file whole (`read_text`); its lines are numbered from 1, so a bad line is
 * reported as `file:line: reason`.
 * Bad lines are excluded and listed in `badLines` (with `strict`, they throw). Blank lines are skipped.
 * With `lines`, only those lines are read and validated, a file at a time in JS without DuckDB (the files
 * holding none are not opened).
 * @param dir - the history directory (e.g. `<workspace root>/benchmarks`).
 * @throws HistoryError `REPORT_NO_HISTORY` when the directory is missing or holds no `*.ndjson` (or
 *   compacted `*.parquet`) file or no valid record; `REPORT_RUN_CONFLICT` when one run id carries different metadata;
 *   `REPORT_BAD_LINE` under `strict`; `REPORT_READ_FAILED` when DuckDB fails outright (a single unreadable file is a bad line instead).
 * @example const history = await loadHistory('benchmarks'); history.runs.at(-1)?.label
 */
export async function loadHistory(dir: string, options: LoadHistoryOptions = {}): Promise<History> {
  const abs = resolve(dir)
  const stored = historyFiles(abs)
  const only = options.lines
  const lines = only === undefined ? await readLines(abs, stored) : await pickLines(abs, stored, only)
  const { runs, badLines } = groupRecords(lines, only)
  badLines.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  if (options.strict === true && badLines.length > 0) throw strictError(abs, badLines)
  if (runs.length === 0) throw noValidRecord(abs, badLines)
  return { dir: abs, files: lines.files, recordCount: finishRuns(runs), runs, badLines }
}

/** The lines of a history as parallel arrays (file, 1-based line, text), the files they came from, and the files not read. */
interface HistoryLines {
  file: string[]
  line: number[]
  text: string[]
  unreadable: BadLine[]
  /** The history file names (NDJSON, and the sources of compacted days), sorted. */
  files: string[]
}

/** Validates every line and groups the valid records into runs; bad lines and duplicates are listed. */
function groupRecords(lines: HistoryLines, only: LoadHistoryOptions['lines']): { runs: Run[]; badLines: BadLine[] } {
  const badLines: BadLine[] = [...lines.unreadable]
  const lostLines: { line: BadLine; text: string }[] = []
  const byRun = new Map<string, { run: Run; keys: Map<string, HistoryRecord> }>()
  for (let i = 0; i < lines.file.length; i++) {
    let text = lines.text[i]!
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (text.trim() === '') continue
    const file = lines.file[i]!
    const line = lines.line[i]!
    if (only !== undefined && only.get(file)?.has(line) !== true) continue
    const reason = checkLine(text)
    if (typeof reason === 'string') {
      const bad = { file, line, reason }
      badLines.push(bad)
      lostLines.push({ line: bad, text })
      continue
    }
    const record = reason
    const entry = byRun.get(record.run.id)
    const located: HistoryRecord = { record, file, line }
    if (entry === undefined) {
      byRun.set(record.run.id, {
        run: newRun(located, v1Records.has(record)),
        keys: new Map([[caseKey(record), located]]),
      })
      continue
    }
    const first = entry.run.records[0]!
    const conflict = sameMetadata(first.record, record) ? null : metadataConflict(first.record, record)
    if (conflict !== null)
      throw new HistoryError(
        'REPORT_RUN_CONFLICT',
        `report: run id ${JSON.stringify(record.run.id)} has conflicting metadata: ${conflict} at ` +
          `${first.file}:${first.line} vs ${file}:${line}; two runs share one id`,
      )
    // Equal by value: share the first record's objects so a year of history keeps one copy per run.
    // The selection is per invocation (a turbo run has one per package): kept, and listed once.
    const selection = JSON.stringify(record.run.selection)
    if (selection === JSON.stringify(first.record.run.selection)) record.run = first.record.run
    else if (!entry.run.selections.some((x) => JSON.stringify(x) === selection))
      entry.run.selections.push(record.run.selection)
    record.env = first.record.env
    record.machine = first.record.machine
    const key = caseKey(record)
    const previous = entry.keys.get(key)
    if (previous !== undefined) {
      badLines.push({
        file,
        line,
        reason: `duplicate record of ${key} in run ${record.run.id} (first at ${previous.file}:${previous.line})`,
      })
      continue
    }
    entry.keys.set(key, located)
    entry.run.records.push(located)
    if (!entry.run.files.includes(file)) entry.run.files.push(file)
  }
  const runs = [...byRun.values()].map((e) => e.run)
  markLostRecords(lostLines, runs)
  return { runs, badLines }
}

/** Sorts each run's files and records, sets its fingerprints, and the runs by start; returns the record count. */
function finishRuns(runs: Run[]): number {
  let recordCount = 0
  for (const run of runs) {
    run.files.sort()
    const counts = new Map<string, number>()
    for (const { record } of run.records) counts.set(record.fingerprint, (counts.get(record.fingerprint) ?? 0) + 1)
    run.fingerprints = [...counts.keys()].sort()
    run.fingerprint = [...counts].reduce((best, e) => (e[1] > best[1] ? e : best))[0]
    run.records.sort((a, b) => compareKeys(a.record, b.record))
    recordCount += run.records.length
  }
  runs.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1))
  return recordCount
}

/**
 * Reads the files with DuckDB (`read_text`: one row per file, UTF-8 checked) and numbers their
 * lines; returns parallel arrays of file name, 1-based line number and text. Splitting whole files
 * here measured 2x faster than `string_split` + `unnest` in SQL, whose 100,000 small strings cost
 * more to hand over to JS than 1,000 large ones. A file DuckDB cannot read (not UTF-8, say) is
 * returned in `unreadable` and the others are read without it. A compacted month (`<YYYY-MM>.parquet`) gives
 * the text of each source it holds that has no NDJSON file (an NDJSON file wins over its copy).
 */
async function readLines(dir: string, stored: string[]): Promise<HistoryLines> {
  const ndjson = stored.filter((f) => !isHistoryParquet(f))
  const unreadable: BadLine[] = []
  let instance: DuckDBInstance | undefined
  let texts: [string, string][] = []
  try {
    // Imported here: the readers of some lines only (a comparison, one case) load no DuckDB.
    const { DuckDBInstance } = await import('@duckdb/node-api')
    instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const rows = await readTexts(connection, ndjson, (f) => sqlPath(join(dir, f)), unreadable)
      texts = rows.names.map((name, k) => [basename(name), rows.contents[k]!])
      texts.push(...(await compactedTexts(connection, dir, stored, new Set(ndjson), unreadable)))
    } finally {
      connection.closeSync()
    }
  } catch (error) {
    if (error instanceof HistoryError) throw error
    throw new HistoryError('REPORT_READ_FAILED', `report: DuckDB could not read ${dir}: ${(error as Error).message}`, {
      cause: error,
    })
  } finally {
    instance?.closeSync()
  }
  texts.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
  // Every history file, read or not: the NDJSON files, the compacted sources, an unreadable Parquet file.
  const names = new Set([...ndjson, ...texts.map(([name]) => name), ...unreadable.map((b) => b.file)])
  const out: HistoryLines = { file: [], line: [], text: [], unreadable, files: [...names].sort() }
  for (const [file, content] of texts) {
    const lines = content.split('\n')
    for (let i = 0; i < lines.length; i++) {
      out.file.push(file)
      out.line.push(i + 1)
      out.text.push(lines[i]!)
    }
  }
  return out
}

/** The sources of the compacted days (`<YYYY-MM>.parquet`) that have no NDJSON file, with their text; an unreadable Parquet file is a bad line. */
async function compactedTexts(
  connection: DuckDBConnection,
  dir: string,
  stored: string[],
  ndjson: ReadonlySet<string>,
  unreadable: BadLine[],
): Promise<[string, string][]> {
  const out: [string, string][] = []
  for (const file of stored.filter(isHistoryParquet)) {
    let texts: Map<string, string>
    try {
      texts = await parquetTexts(connection, join(dir, file))
    } catch (error) {
      unreadable.push({ file, line: 1, reason: `whole file excluded: ${(error as Error).message}` })
      continue
    }
    for (const [source, text] of texts) if (!ndjson.has(source)) out.push([source, text])
  }
  return out
}

/**
 * Only the given lines of the files (`loadComparedRuns`, one case), read a file at a time in JS with the
 * same UTF-8 check as the run index: one case of a 10,000-file history never holds more than one file's
 * text, and a history without compacted days loads no DuckDB. A file without an NDJSON file is read from
 * its month's Parquet file, only the wanted lines, one query per month. `files` are the NDJSON files and
 * the compacted sources read.
 */
async function pickLines(
  dir: string,
  stored: string[],
  only: ReadonlyMap<string, ReadonlySet<number>>,
): Promise<HistoryLines> {
  const ndjson = stored.filter((f) => !isHistoryParquet(f))
  const out: HistoryLines = { file: [], line: [], text: [], unreadable: [], files: [...ndjson] }
  const parquet = new ParquetLines(dir)
  let month: { container: string; rows: Map<string, Map<number, string>> } | undefined
  try {
    for (const file of [...only.keys()].sort()) {
      const wanted = only.get(file)!
      const container = containerOf(dir, file)
      if (container !== file) {
        out.files.push(file)
        if (month?.container !== container) month = await monthLines(dir, container, only, parquet, out)
        const rows = month.rows.get(file) ?? new Map<number, string>()
        for (const line of [...rows.keys()].sort((x, y) => x - y)) pushLine(out, file, line, rows.get(line)!)
        continue
      }
      const content = fileText(dir, file, out)
      if (content === undefined) continue
      const lines = content.split('\n')
      for (let i = 0; i < lines.length; i++)
        // A line split off a file is a slice that keeps the whole file's text alive: copied, or one case
        // of a 2 GB history keeps the 2 GB.
        if (wanted.has(i + 1)) pushLine(out, file, i + 1, Buffer.from(lines[i]!, 'utf8').toString('utf8'))
    }
  } finally {
    parquet.close()
  }
  out.files.sort()
  return out
}

function pushLine(out: HistoryLines, file: string, line: number, text: string): void {
  out.file.push(file)
  out.line.push(line)
  out.text.push(text)
}

/** The wanted lines of the files a compacted month holds (those without an NDJSON file); an unreadable month is a bad line. */
async function monthLines(
  dir: string,
  container: string,
  only: ReadonlyMap<string, ReadonlySet<number>>,
  parquet: ParquetLines,
  out: HistoryLines,
): Promise<{ container: string; rows: Map<string, Map<number, string>> }> {
  const wanted = new Map([...only].filter(([f]) => parquetNameOf(f) === container && containerOf(dir, f) === container))
  try {
    return { container, rows: await parquet.lines(container, wanted) }
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error
    out.unreadable.push({ file: container, line: 1, reason: `whole file excluded: ${error.message}` })
    return { container, rows: new Map() }
  }
}

/** The text of an NDJSON history file; undefined (and a bad line) when it is not UTF-8, undefined when gone. */
function fileText(dir: string, file: string, out: HistoryLines): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(dir, file)))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    const reason = `whole file excluded: cannot read it as UTF-8: ${(error as Error).message}`
    out.unreadable.push({ file, line: 1, reason })
    return undefined
  }
}

/** One `read_text` of `files`; a file DuckDB cannot read is pushed to `unreadable` and the rest read without it. */
async function readTexts(
  connection: DuckDBConnection,
  files: string[],
  quote: (f: string) => string,
  unreadable: BadLine[],
): Promise<{ names: string[]; contents: string[] }> {
  let readable = files
  for (;;) {
    if (readable.length === 0) return { names: [], contents: [] }
    try {
      const reader = await connection.runAndReadAll(
        `SELECT filename, content FROM read_text([${readable.map(quote).join(', ')}])`,
      )
      const [names, contents] = reader.getColumns() as [string[], string[]]
      return { names, contents }
    } catch (error) {
      // Find the file that fails on its own, exclude it, read the rest.
      let culprit: string | undefined
      for (const f of readable) {
        try {
          await connection.run(`SELECT length(content) FROM read_text(${quote(f)})`)
        } catch (inner) {
          culprit = f
          unreadable.push({
            file: f,
            line: 1,
            reason: `whole file excluded: DuckDB cannot read it: ${(inner as Error).message}`,
          })
          break
        }
      }
      if (culprit === undefined) throw error
      readable = readable.filter((f) => f !== culprit)
    }
  }
}

function newRun(first: HistoryRecord, isV1: boolean): Run {
  const r = first.record
  return {
    id: r.run.id,
    label: r.run.label,
    startedAt: r.run.started_at,
    date: r.run.started_at.slice(0, 10),
    commit: r.run.git.commit,
    branch: r.run.git.branch,
    dirty: r.run.git.dirty,
    fingerprint: r.fingerprint,
    fingerprints: [r.fingerprint],
    machine: r.machine,
    selections: [r.run.selection],
    selectionKnown: !isV1,
    env: r.env,
    config: r.config,
    files: [first.file],
    records: [first],
  }
}

/** Fast check that two records of one run id share the run and env fields (no allocation). Config and fingerprint are per case. */
function sameMetadata(a: BenchRecord, b: BenchRecord): boolean {
  const ea = a.env
  const eb = b.env
  return (
    a.run.label === b.run.label &&
    a.run.started_at === b.run.started_at &&
    a.run.git.commit === b.run.git.commit &&
    a.run.git.branch === b.run.git.branch &&
    a.run.git.dirty === b.run.git.dirty &&
    ea.os === eb.os &&
    ea.os_release === eb.os_release &&
    ea.arch === eb.arch &&
    ea.cpu_model === eb.cpu_model &&
    ea.cores === eb.cores &&
    ea.mem_bytes === eb.mem_bytes &&
    ea.node === eb.node &&
    ea.v8 === eb.v8 &&
    ea.ci === eb.ci &&
    ea.glibc_tunables === eb.glibc_tunables &&
    a.machine.id === b.machine.id
  )
}

/** The first metadata field that differs between two records of one run id, as `field a vs b`, or null. */
function metadataConflict(a: BenchRecord, b: BenchRecord): string | null {
  const pairs: [string, unknown, unknown][] = [
    ['run.label', a.run.label, b.run.label],
    ['run.started_at', a.run.started_at, b.run.started_at],
    ['run.git.commit', a.run.git.commit, b.run.git.commit],
    ['run.git.branch', a.run.git.branch, b.run.git.branch],
    ['run.git.dirty', a.run.git.dirty, b.run.git.dirty],
    ['machine.id', a.machine.id, b.machine.id],
  ]
  for (const key of Object.keys(a.env) as (keyof BenchRecord['env'])[])
    pairs.push([`env.${key}`, a.env[key], b.env[key]])
  for (const [field, x, y] of pairs) if (x !== y) return `${field} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`
  return null
}

/** `package/suite/case`, the identity of a case across runs. */
export function caseKey(r: Pick<BenchRecord, 'package' | 'suite' | 'case'>): string {
  return `${r.package}/${r.suite}/${r.case}`
}

function compareKeys(a: BenchRecord, b: BenchRecord): number {
  return a.package !== b.package
    ? a.package < b.package
      ? -1
      : 1
    : a.suite !== b.suite
      ? a.suite < b.suite
        ? -1
        : 1
      : a.case < b.case
        ? -1
        : a.case > b.case
          ? 1
          : 0
}
