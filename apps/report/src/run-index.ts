import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { BenchRecord, EnvInfo, MachineInfo, RunConfig, RunSelection as HarnessSelection } from '@ttapi/bench'
import { configKey, isBusy } from './comparable.ts'
import { HistoryError } from './errors.ts'
import { checkLine, historyFiles, noValidRecord, strictError, v1Records } from './_history-lines.ts'
import { markLostRecords } from './_lost-records.ts'
import { containerOf, isHistoryParquet, ParquetLines } from './_parquet-lines.ts'
import type { BadLine, LoadHistoryOptions, Run } from './types.ts'

/** Folder of the index cache inside a history directory (`index.json` and one `<file>.cases.json` per history file; not committed). */
export const INDEX_DIR = '.report-index'

/** Bumped when the cached shape changes: an older cache is rebuilt. */
const INDEX_VERSION = 5

/** A run as the index knows it: every field of a `Run` but its records, plus where they are. */
export interface IndexedRun extends Omit<Run, 'records'> {
  /** Valid records of the run (cases). */
  cases: number
  /**
   * Per file, the 1-based lines of the run's valid records as ranges `[first, last, first, last, …]` (a run's
   * records are consecutive lines: 2 numbers, not 100); {@link lineNumbers} lists them.
   */
  lines: Map<string, number[]>
}

/** The line numbers of `[first, last, …]` ranges ({@link IndexedRun.lines}). */
export function lineNumbers(ranges: readonly number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < ranges.length; i += 2) for (let l = ranges[i]!; l <= ranges[i + 1]!; l++) out.push(l)
  return out
}

/** How many lines `[first, last, …]` ranges hold. */
function rangeCount(ranges: readonly number[]): number {
  let n = 0
  for (let i = 0; i < ranges.length; i += 2) n += ranges[i + 1]! - ranges[i]! + 1
  return n
}

/** Ascending line numbers as `[first, last, …]` ranges of consecutive lines. */
function toRanges(lines: readonly number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!
    while (i + 1 < lines.length && lines[i + 1] === lines[i]! + 1) i++
    out.push(first, lines[i]!)
  }
  return out
}

/** The runs of a history read from the index, without a single sample. */
export interface RunIndex {
  /** Absolute path of the history directory. */
  dir: string
  /** History file names, sorted: the `*.ndjson` files and the sources of compacted days (`<YYYY-MM>.parquet`). */
  files: string[]
  /** Valid records (sum of the runs' cases). */
  recordCount: number
  /** Runs, oldest first (by `startedAt`, then id). */
  runs: IndexedRun[]
  /** Lines excluded, in file then line order. */
  badLines: BadLine[]
  /** Files whose index was read from the cache (the others were read and validated now). */
  cachedFiles: number
}

/** One case of a run as the index keeps it for choosing baselines: `[case key, config key, busy, line]`. */
export type IndexedCase = [key: string, config: string, busy: boolean, line: number]

/** What one history file contributes, as cached. */
interface FileIndex {
  size: number
  mtimeMs: number
  runs: FileRun[]
  badLines: BadLine[]
}

/** One run's part of one file: the run's fields, its fingerprints counted and its record lines. */
type FileRun = Pick<
  Run,
  | 'id'
  | 'label'
  | 'startedAt'
  | 'commit'
  | 'branch'
  | 'dirty'
  | 'machine'
  | 'env'
  | 'config'
  | 'selections'
  | 'selectionKnown'
> & {
  /** Records per fingerprint. */
  fingerprints: Record<string, number>
  /** 1-based lines of its records, as ranges (`[first, last, …]`). */
  lines: number[]
}

/**
 * The run index of a history directory: per run its metadata, case count and record lines, and the
 * bad lines of every file, without keeping a sample. Each file's part is cached in
 * `<dir>/.report-index/index.json` (one read for the whole history; its cases for choosing baselines
 * in `<file>.cases.json`), keyed by the file's size and mtime (history files are
 * append-only: an append changes the size), so an unchanged file is never read again; a file that
 * changed is read and every line validated as {@link loadHistory} does. A read-only directory is
 * indexed in memory each time. A month of compacted days (`<YYYY-MM>.parquet`) gives its sources, each cached by the
 * Parquet file's size and mtime; an NDJSON file wins over its copy there.
 * Not detected here: one run recording one case in two different files (the comparison, which
 * reads those records, names the duplicate).
 * @param dir - the history directory.
 * @throws HistoryError as `loadHistory` (no history, run conflict, `--strict` bad lines).
 * @example (await loadRunIndex('benchmarks')).runs.at(-1)?.cases
 */
export async function loadRunIndex(dir: string, options: LoadHistoryOptions = {}): Promise<RunIndex> {
  const abs = resolve(dir)
  const parquet = new ParquetLines(abs)
  const byId = new Map<string, IndexedRun>()
  // Records per fingerprint of each run (the first part's own object until a second part joins).
  const counts = new Map<IndexedRun, Record<string, number>>()
  const manifest = readManifest(abs)
  const shared = new SharedValues(manifest.shared)
  const fresh: Record<string, StoredFile> = {}
  let cachedFiles = 0
  // A month of compacted days holds some 300 files: stat'ed once, not once per file.
  const stats = new Map<string, { size: number; mtimeMs: number }>()
  let files: string[]
  let badLines: BadLine[]
  try {
    const { sources, unreadable } = await historySources(abs, parquet)
    // An unreadable Parquet file is listed, as an unreadable NDJSON file is.
    // The sources come sorted: sorted again only with an unreadable month among them.
    files =
      unreadable.length === 0
        ? [...sources.keys()]
        : [...new Set([...sources.keys(), ...unreadable.map((b) => b.file)])].sort()
    badLines = unreadable
    for (const [file, container] of sources) {
      let st = stats.get(container)
      if (st === undefined) stats.set(container, (st = statSync(join(abs, container))))
      let entry = manifest.files[file]
      // A cache hit needs no await (100,000 files are 100,000 microtasks fewer) and no object but the run's.
      if (entry !== undefined && entry[0] === st.size && entry[1] === st.mtimeMs) cachedFiles++
      else entry = stored(await fileIndex(abs, file, container, st, parquet), shared)
      fresh[file] = entry
      for (const b of entry[3]) badLines.push(b)
      addParts(byId, counts, file, entry[2], shared.values)
    }
  } finally {
    parquet.close()
  }
  const indexed = Object.keys(fresh).length
  if (cachedFiles !== indexed || Object.keys(manifest.files).length !== indexed)
    writeManifest(abs, { version: INDEX_VERSION, shared: shared.values, files: fresh })
  badLines.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  if (options.strict === true && badLines.length > 0) throw strictError(abs, badLines)
  if (byId.size === 0) throw noValidRecord(abs, badLines)
  let recordCount = 0
  const runs: IndexedRun[] = []
  for (const run of byId.values()) {
    const byPrint = counts.get(run)!
    run.fingerprints = Object.keys(byPrint).sort()
    run.fingerprint = run.fingerprints.reduce((best, f) => (byPrint[f]! > byPrint[best]! ? f : best))
    recordCount += run.cases
    runs.push(run)
  }
  runs.sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? -1 : 1) : a.startedAt < b.startedAt ? -1 : 1))
  return { dir: abs, files, recordCount, runs, badLines, cachedFiles }
}

/**
 * Adds one file's run parts (as `index.json` stores them) to the runs by id; a part disagreeing with its run's
 * metadata is a run conflict.
 */
function addParts(
  byId: Map<string, IndexedRun>,
  counts: Map<IndexedRun, Record<string, number>>,
  file: string,
  parts: StoredRun[],
  shared: readonly unknown[],
): void {
  for (const part of parts) {
    const [id, label, startedAt, commit, branch, dirty, machine, env, config, selections, known, prints, lines] = part
    const run = byId.get(id)
    if (run === undefined) {
      const created: IndexedRun = {
        id,
        label,
        startedAt,
        date: startedAt.slice(0, 10),
        commit,
        branch,
        dirty,
        fingerprint: '',
        fingerprints: [],
        machine: shared[machine] as MachineInfo,
        // Shared with every run of the same selections: replaced, not pushed to, when a second part adds one.
        selections: shared[selections] as HarnessSelection[],
        selectionKnown: known,
        env: shared[env] as EnvInfo,
        config: shared[config] as RunConfig,
        files: [file],
        cases: rangeCount(lines),
        lines: new Map<string, number[]>().set(file, lines),
      }
      byId.set(id, created)
      counts.set(created, shared[prints] as Record<string, number>)
      continue
    }
    const fields = { label, startedAt, commit, branch, dirty, machine: shared[machine] as MachineInfo }
    const conflict = partConflict(run, { ...fields, env: shared[env] as EnvInfo })
    if (conflict !== null) {
      const first = run.files[0]!
      throw new HistoryError(
        'REPORT_RUN_CONFLICT',
        `report: run id ${JSON.stringify(id)} has conflicting metadata: ${conflict} at ` +
          `${first}:${run.lines.get(first)![0]} vs ${file}:${lines[0]}; two runs share one id`,
      )
    }
    for (const s of shared[selections] as HarnessSelection[])
      if (!run.selections.some((x) => JSON.stringify(x) === JSON.stringify(s))) run.selections = [...run.selections, s]
    // Copied before the first sum: the first part's object is shared.
    const sum = { ...counts.get(run)! }
    for (const [fp, n] of Object.entries(shared[prints] as Record<string, number>)) sum[fp] = (sum[fp] ?? 0) + n
    counts.set(run, sum)
    run.files.push(file)
    run.cases += rangeCount(lines)
    run.lines.set(file, lines)
  }
}

/**
 * The cases of the given runs for choosing baselines (case key, config key, busy, line), from the
 * `<file>.cases.json` caches written beside each file's index (rebuilt when the file changed).
 * @param index - the run index.
 * @param runs - the runs whose cases are wanted.
 */
export async function indexedCases(index: RunIndex, runs: readonly IndexedRun[]): Promise<Map<string, IndexedCase[]>> {
  const wanted = new Set(runs.map((r) => r.id))
  const files = new Set(runs.flatMap((r) => r.files))
  const out = new Map<string, IndexedCase[]>()
  const parquet = new ParquetLines(index.dir)
  try {
    for (const file of [...files].sort()) {
      const byRun = await fileCases(index.dir, file, parquet)
      for (const [id, cases] of Object.entries(byRun)) {
        if (!wanted.has(id)) continue
        const list = out.get(id) ?? []
        list.push(...cases)
        out.set(id, list)
      }
    }
  } finally {
    parquet.close()
  }
  return out
}

/** `<dir>/.report-index/parquet.json`: per month of compacted days, its size and mtime and the files it holds. */
type ParquetSources = Record<string, { size: number; mtimeMs: number; sources: string[] }>

/**
 * The history files and where each is stored (file name → itself, or its month's `<YYYY-MM>.parquet`): the
 * NDJSON files, and the files each compacted month holds that have no NDJSON file (the NDJSON file wins over
 * the copy an interrupted compaction left). A month's list is cached by its size and mtime; a Parquet file
 * DuckDB cannot read is a bad line.
 */
async function historySources(
  abs: string,
  parquet: ParquetLines,
): Promise<{ sources: Map<string, string>; unreadable: BadLine[] }> {
  const stored = historyFiles(abs)
  const sources = new Map<string, string>()
  for (const f of stored) if (!isHistoryParquet(f)) sources.set(f, f)
  const unreadable: BadLine[] = []
  const path = join(abs, INDEX_DIR, 'parquet.json')
  let cached: ParquetSources = {}
  try {
    cached = JSON.parse(readFileSync(path, 'utf8')) as ParquetSources
  } catch {
    // No cache, or a torn one: every compacted month is listed again.
  }
  const fresh: ParquetSources = {}
  for (const month of stored.filter(isHistoryParquet)) {
    const st = statSync(join(abs, month))
    let entry = cached[month]
    if (entry === undefined || entry.size !== st.size || entry.mtimeMs !== st.mtimeMs) {
      try {
        entry = { size: st.size, mtimeMs: st.mtimeMs, sources: await parquet.sources(month) }
      } catch (error) {
        unreadable.push({ file: month, line: 1, reason: `whole file excluded: ${(error as Error).message}` })
        continue
      }
    }
    fresh[month] = entry
    for (const source of entry.sources) if (!sources.has(source)) sources.set(source, month)
  }
  // A month's sources change only with its size or mtime: comparing those is enough (not 2.5 MB of JSON twice).
  const changed =
    Object.keys(fresh).length !== Object.keys(cached).length ||
    Object.entries(fresh).some(([m, e]) => cached[m]?.size !== e.size || cached[m]?.mtimeMs !== e.mtimeMs)
  if (changed && (Object.keys(fresh).length > 0 || existsSync(path)))
    try {
      mkdirSync(join(abs, INDEX_DIR), { recursive: true })
      writeAtomic(path, JSON.stringify(fresh))
    } catch {
      // Read-only: listed again next time.
    }
  return { sources: new Map([...sources].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))), unreadable }
}

function casesPath(abs: string, file: string): string {
  return join(abs, INDEX_DIR, `${file}.cases.json`)
}

/**
 * A run part as `index.json` stores it: a tuple (no field names: 100,000 runs are 40 MB
 * less to parse), with machine, env, config, its selections and its fingerprint counts as indexes into `shared`
 * (most runs share each: one object for all of them, none made per run).
 */
type StoredRun = [
  id: string,
  label: string,
  startedAt: string,
  commit: string | null,
  branch: string | null,
  dirty: boolean | null,
  machine: number,
  env: number,
  config: number,
  selections: number,
  selectionKnown: boolean,
  fingerprints: number,
  lines: number[],
]

/** A file's entry as `index.json` stores it, and as the index keeps it: size, mtime, its run parts, its bad lines. */
type StoredFile = [size: number, mtimeMs: number, runs: StoredRun[], badLines: BadLine[]]

/** `index.json`: per file its entry; the objects most runs repeat (env, config, machine, selection) stored once. */
interface Manifest {
  version: number
  shared: unknown[]
  files: Record<string, StoredFile>
}

/** The cached index of every file (`<dir>/.report-index/index.json`): one read for the whole history. */
function readManifest(abs: string): Omit<Manifest, 'version'> {
  try {
    const cached = JSON.parse(readFileSync(join(abs, INDEX_DIR, 'index.json'), 'utf8')) as Manifest
    if (cached.version === INDEX_VERSION) return cached
  } catch {
    // No cache, or a torn one: every file is read again.
  }
  return { shared: [], files: {} }
}

/** The manifest's `shared` values, extended by the files indexed now (each distinct value once). */
class SharedValues {
  readonly values: unknown[]
  #ids: Map<string, number> | undefined

  constructor(values: unknown[]) {
    this.values = values
  }

  /** The index of `value` in {@link values}, added when new. */
  ref(value: unknown): number {
    // Built on the first file read now: a history whose index is cached never stringifies a shared value.
    this.#ids ??= new Map(this.values.map((v, i) => [JSON.stringify(v), i]))
    const key = JSON.stringify(value)
    let id = this.#ids.get(key)
    if (id === undefined) {
      this.#ids.set(key, (id = this.values.length))
      this.values.push(value)
    }
    return id
  }
}

/** A file indexed now, as `index.json` stores it. */
function stored(entry: FileIndex, shared: SharedValues): StoredFile {
  const runs = entry.runs.map((r): StoredRun => [
    r.id,
    r.label,
    r.startedAt,
    r.commit,
    r.branch,
    r.dirty,
    shared.ref(r.machine),
    shared.ref(r.env),
    shared.ref(r.config),
    shared.ref(r.selections),
    r.selectionKnown,
    shared.ref(r.fingerprints),
    r.lines,
  ])
  return [entry.size, entry.mtimeMs, runs, entry.badLines]
}

function writeManifest(abs: string, manifest: Manifest): void {
  try {
    mkdirSync(join(abs, INDEX_DIR), { recursive: true })
    writeAtomic(join(abs, INDEX_DIR, 'index.json'), JSON.stringify(manifest))
  } catch {
    // A read-only history is indexed in memory on every call.
  }
}

/** A file that changed (or is not cached) read from itself or its compacted day, validated, its cases cached beside. */
async function fileIndex(
  abs: string,
  file: string,
  container: string,
  st: { size: number; mtimeMs: number },
  parquet: ParquetLines,
): Promise<FileIndex> {
  const { index, cases } = await buildFileIndex(abs, file, container, st, parquet)
  try {
    mkdirSync(join(abs, INDEX_DIR), { recursive: true })
    // The cases before the manifest: a reader that finds the index current also finds its cases current.
    writeAtomic(casesPath(abs, file), JSON.stringify({ size: st.size, mtimeMs: st.mtimeMs, cases }))
  } catch {
    // Read-only: the cases are rebuilt when a comparison needs them.
  }
  return index
}

/** The cases cache of a file, rebuilt when missing or stale. */
async function fileCases(abs: string, file: string, parquet: ParquetLines): Promise<Record<string, IndexedCase[]>> {
  const container = containerOf(abs, file)
  const st = statSync(join(abs, container))
  try {
    const cached = JSON.parse(readFileSync(casesPath(abs, file), 'utf8')) as {
      size: number
      mtimeMs: number
      cases: Record<string, IndexedCase[]>
    }
    if (cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.cases
  } catch {
    // Rebuilt below.
  }
  return (await buildFileIndex(abs, file, container, st, parquet)).cases
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}

/** Reads one file (from its NDJSON file or its compacted month), validates every line, and groups its valid records by run. */
async function buildFileIndex(
  abs: string,
  file: string,
  container: string,
  { size, mtimeMs }: { size: number; mtimeMs: number },
  parquet: ParquetLines,
): Promise<{ index: FileIndex; cases: Record<string, IndexedCase[]> }> {
  let content: string
  try {
    content =
      container === file
        ? new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(abs, file)))
        : await parquet.text(container, file)
  } catch (error) {
    const reason =
      error instanceof HistoryError
        ? `whole file excluded: ${error.message}`
        : `whole file excluded: cannot read it as UTF-8: ${(error as Error).message}`
    return { index: { size, mtimeMs, runs: [], badLines: [{ file, line: 1, reason }] }, cases: {} }
  }
  return indexLines(file, content, size, mtimeMs)
}

/** Validates every line of one file's text and groups its valid records by run. */
function indexLines(
  file: string,
  content: string,
  size: number,
  mtimeMs: number,
): { index: FileIndex; cases: Record<string, IndexedCase[]> } {
  const badLines: BadLine[] = []
  const lost: { line: BadLine; text: string }[] = []
  const runs = new Map<string, FileRun & { keys: Map<string, number> }>()
  const cases: Record<string, IndexedCase[]> = {}
  const lines = content.split('\n')
  for (let i = 0; i < lines.length; i++) {
    let text = lines[i]!
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (text.trim() === '') continue
    const line = i + 1
    const checked = checkLine(text)
    if (typeof checked === 'string') {
      const bad = { file, line, reason: checked }
      badLines.push(bad)
      lost.push({ line: bad, text })
      continue
    }
    const r = checked
    let run = runs.get(r.run.id)
    if (run === undefined) {
      runs.set(r.run.id, (run = newPart(r)))
      cases[r.run.id] = []
    } else joinPart(run, r, `${file}:${run.lines[0]}`, `${file}:${line}`)
    const key = `${r.package}/${r.suite}/${r.case}`
    const previous = run.keys.get(key)
    if (previous !== undefined) {
      badLines.push({
        file,
        line,
        reason: `duplicate record of ${key} in run ${r.run.id} (first at ${file}:${previous})`,
      })
      continue
    }
    run.keys.set(key, line)
    run.lines.push(line)
    run.fingerprints[r.fingerprint] = (run.fingerprints[r.fingerprint] ?? 0) + 1
    cases[r.run.id]!.push([key, configKey(r), isBusy(r), line])
  }
  markLostRecords(
    lost,
    [...runs.values()].map((r) => ({ id: r.id, records: r.lines.map((line) => ({ file, line })) })),
  )
  const parts: FileRun[] = [...runs.values()].map(({ keys: _keys, lines, ...part }) => ({
    ...part,
    lines: toRanges(lines),
  }))
  return { index: { size, mtimeMs, runs: parts, badLines }, cases }
}

/** The run-level fields every record of a run repeats, which its parts must agree on. */
type RunFields = Pick<FileRun, 'label' | 'startedAt' | 'commit' | 'branch' | 'dirty' | 'machine' | 'env'>

/** A record's {@link RunFields}. */
function runFields(r: BenchRecord): RunFields {
  return {
    label: r.run.label,
    startedAt: r.run.started_at,
    commit: r.run.git.commit,
    branch: r.run.git.branch,
    dirty: r.run.git.dirty,
    machine: r.machine,
    env: r.env,
  }
}

/** A run's part of a file, from its first record there. */
function newPart(r: BenchRecord): FileRun & { keys: Map<string, number> } {
  return {
    id: r.run.id,
    ...runFields(r),
    config: r.config,
    selections: [r.run.selection],
    selectionKnown: !v1Records.has(r),
    fingerprints: {},
    lines: [],
    keys: new Map(),
  }
}

/** Checks another record of a run's part against it (a run conflict when they disagree) and adds its selection. */
function joinPart(run: FileRun, r: BenchRecord, first: string, here: string): void {
  const conflict = partConflict(run, runFields(r))
  if (conflict !== null)
    throw new HistoryError(
      'REPORT_RUN_CONFLICT',
      `report: run id ${JSON.stringify(r.run.id)} has conflicting metadata: ${conflict} at ${first} vs ${here}; ` +
        'two runs share one id',
    )
  const selection = JSON.stringify(r.run.selection)
  if (!run.selections.some((x) => JSON.stringify(x) === selection)) run.selections.push(r.run.selection)
}

/** The first run-level field two parts of one run id disagree on, as `field a vs b`, or null. */
function partConflict(a: RunFields, b: RunFields): string | null {
  const pairs: [string, unknown, unknown][] = [
    ['run.label', a.label, b.label],
    ['run.started_at', a.startedAt, b.startedAt],
    ['run.git.commit', a.commit, b.commit],
    ['run.git.branch', a.branch, b.branch],
    ['run.git.dirty', a.dirty, b.dirty],
    ['machine.id', a.machine.id, b.machine.id],
  ]
  for (const key of Object.keys(a.env) as (keyof EnvInfo)[]) pairs.push([`env.${key}`, a.env[key], b.env[key]])
  for (const [field, x, y] of pairs) if (x !== y) return `${field} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`
  return null
}
