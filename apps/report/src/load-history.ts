import { basename, join, resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import type { BenchRecord } from '@ttapi/bench'
import { HistoryError } from './errors.ts'
import { checkLine, historyFiles, noValidRecord, strictError, v1Records } from './_history-lines.ts'
import { markLostRecords } from './_lost-records.ts'
import type { BadLine, History, HistoryRecord, LoadHistoryOptions, Run } from './types.ts'

/**
 * Reads every `*.ndjson` file of a history directory with DuckDB in-process, validates every line
 * with the harness's schema (`validateRecord` from `@ttapi/bench`) and groups the records into runs.
 * DuckDB reads each file whole (`read_text`); its lines are numbered from 1, so a bad line is
 * reported as `file:line: reason`.
 * Bad lines are excluded and listed in `badLines` (with `strict`, they throw). Blank lines are skipped.
 * With `lines`, only those lines are read and validated, a file at a time in JS without DuckDB (the files
 * holding none are not opened).
 * @param dir - the history directory (e.g. `<workspace root>/benchmarks`).
 * @throws HistoryError `REPORT_NO_HISTORY` when the directory is missing or holds no `*.ndjson`
 *   file or no valid record; `REPORT_RUN_CONFLICT` when one run id carries different metadata;
 *   `REPORT_BAD_LINE` under `strict`; `REPORT_READ_FAILED` when DuckDB fails outright (a single unreadable file is a bad line instead).
 * @example const history = await loadHistory('benchmarks'); history.runs.at(-1)?.label
 */
export async function loadHistory(dir: string, options: LoadHistoryOptions = {}): Promise<History> {
  const abs = resolve(dir)
  const files = historyFiles(abs)
  const only = options.lines
  const lines =
    only === undefined
      ? await readLines(abs, files)
      : pickLines(
          abs,
          files.filter((f) => only.has(f)),
          only,
        )
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
  badLines.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  if (options.strict === true && badLines.length > 0) throw strictError(abs, badLines)
  const runs = [...byRun.values()].map((e) => e.run)
  if (runs.length === 0) throw noValidRecord(abs, badLines)
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
  markLostRecords(lostLines, runs)
  runs.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1))
  return { dir: abs, files, recordCount, runs, badLines }
}

/**
 * Reads the files with DuckDB (`read_text`: one row per file, UTF-8 checked) and numbers their
 * lines; returns parallel arrays of file name, 1-based line number and text. Splitting whole files
 * here measured 2x faster than `string_split` + `unnest` in SQL, whose 100,000 small strings cost
 * more to hand over to JS than 1,000 large ones. A file DuckDB cannot read (not UTF-8, say) is
 * returned in `unreadable` and the others are read without it. With `only`, only those lines are returned.
 */
async function readLines(
  dir: string,
  files: string[],
): Promise<{ file: string[]; line: number[]; text: string[]; unreadable: BadLine[] }> {
  const quote = (f: string): string => `'${join(dir, f).replaceAll("'", "''")}'`
  const out = { file: [] as string[], line: [] as number[], text: [] as string[], unreadable: [] as BadLine[] }
  let instance: DuckDBInstance | undefined
  try {
    // Imported here: the readers of some lines only (a comparison, one case) load no DuckDB.
    const { DuckDBInstance } = await import('@duckdb/node-api')
    instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const rows = await readTexts(connection, files, quote, out.unreadable)
      rows.names.forEach((name, k) => {
        const file = basename(name)
        const lines = rows.contents[k]!.split('\n')
        for (let i = 0; i < lines.length; i++) {
          out.file.push(file)
          out.line.push(i + 1)
          out.text.push(lines[i]!)
        }
      })
    } finally {
      connection.closeSync()
    }
  } catch (error) {
    throw new HistoryError('REPORT_READ_FAILED', `report: DuckDB could not read ${dir}: ${(error as Error).message}`, {
      cause: error,
    })
  } finally {
    instance?.closeSync()
  }
  return out
}

/**
 * Only the given lines of the files (`loadComparedRuns`, one case), read a file at a time in JS with the
 * same UTF-8 check as the run index: one case of a 10,000-file history never holds more than one file's
 * text, and the process loads no DuckDB.
 */
function pickLines(
  dir: string,
  files: string[],
  only: ReadonlyMap<string, ReadonlySet<number>>,
): { file: string[]; line: number[]; text: string[]; unreadable: BadLine[] } {
  const out = { file: [] as string[], line: [] as number[], text: [] as string[], unreadable: [] as BadLine[] }
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  for (const file of files) {
    let content: string
    try {
      content = utf8.decode(readFileSync(join(dir, file)))
    } catch (error) {
      const reason = `whole file excluded: cannot read it as UTF-8: ${(error as Error).message}`
      out.unreadable.push({ file, line: 1, reason })
      continue
    }
    const wanted = only.get(file)!
    const lines = content.split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (!wanted.has(i + 1)) continue
      out.file.push(file)
      out.line.push(i + 1)
      // A line split off a file is a slice that keeps the whole file's text alive: copied, or one case
      // of a 2 GB history keeps the 2 GB.
      out.text.push(Buffer.from(lines[i]!, 'utf8').toString('utf8'))
    }
  }
  return out
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
