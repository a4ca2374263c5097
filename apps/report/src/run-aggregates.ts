import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { quantile } from '@ttapi/bench'
import { aggregateFiles, emptyColumns, emptyPoints } from './_aggregate-sql.ts'
import type { AggregateColumns, AggregatePoints } from './_aggregate-sql.ts'
import { HistoryError } from './errors.ts'
import { caseKey } from './load-history.ts'
import { containerOf } from './_parquet-lines.ts'
import { INDEX_DIR } from './run-index.ts'
import type { IndexedRun, RunIndex } from './run-index.ts'
import type { History, Run } from './types.ts'

/** Folder of the per-file aggregate caches, inside the index folder (`<file>.json` per history file; not committed). */
export const AGGREGATES_DIR = 'aggregates'

/** Bumped when the cached shape changes: an older cache is recomputed. */
const AGGREGATES_VERSION = 3

/** History files aggregated by one DuckDB query (bounds the text DuckDB holds at once). */
const BATCH_FILES = 25

/** A run without its records: what trends need of it. */
export type RunMeta = Omit<Run, 'records'>

/** One case's per-run aggregates on one machine and profile, oldest run first: what trends are drawn from. */
export interface AggregateSeries extends AggregatePoints {
  /** `package/suite/case` */
  key: string
  /** Package, suite and case of the key. */
  package: string
  suite: string
  case: string
  /** Unit of the first record of the series. */
  unit: string
  /** Harness profile of every record of the series. */
  profile: string
  /** `machine.id` of every record of the series. */
  machineId: string
  /** Per point: index into the history's runs. */
  run: number[]
}

/** Runs and their per-(run, case, profile, machine) aggregates, without a sample: what trends read. */
export interface AggregatedHistory {
  /** Runs, oldest first (the index's order). */
  runs: readonly RunMeta[]
  /** One series per case, profile and machine. */
  aggregates: AggregateSeries[]
  /** History files whose aggregates DuckDB computed now (the others came from the cache). */
  computedFiles?: number
  /** Every case key of the files read (with a {@link AggregateFilter.case}, those left out too). */
  keys?: Set<string>
}

/** What {@link loadRunAggregates} keeps: at 10M records, every point of every run would not fit the memory budget. */
export interface AggregateFilter {
  /** Only these runs' points (by their index into the index's runs); the files holding none of them are not read. */
  runs?: (run: IndexedRun, index: number) => boolean
  /**
   * Only the cases `package/suite/case` ending in `/<case>` (or equal to it): what `changepoints CASE` and `history
   * CASE` ask for. Every case key of the history is still listed in {@link AggregatedHistory.keys}.
   */
  case?: string
}

/**
 * The runs trends are drawn from: those labelled `label` and those named in `also`, or every run (undefined)
 * when no run has the label (a history recorded under branch names only).
 * @param index - the run index.
 * @param label - the baseline label (`main`).
 * @param also - ids of runs drawn whatever their label (the runs compared).
 */
export function labelledRuns(
  index: RunIndex,
  label: string,
  also: ReadonlySet<string> = new Set(),
): AggregateFilter['runs'] {
  if (!index.runs.some((r) => r.label === label)) return undefined
  return (r) => r.label === label || also.has(r.id)
}

/** Numeric columns of a cached file, in the order the binary cache stores them. */
const COLUMNS = ['line', 'meta', 'n', 'p5', 'p50', 'p95', 'itemsPerS', 'itemsPerOp', 'rssPeakBytes'] as const

/**
 * A file's aggregates as cached: a JSON header line (version, size, mtime, count), a JSON line of the
 * repeated strings, spaces to 8 bytes, then the numeric columns as float64 (`rssPeakBytes` NaN for null):
 * read back with no parse of the numbers.
 */
interface CachedFile {
  version: number
  size: number
  mtimeMs: number
  /** `[key, unit, profile, machine, fingerprint]` tuples, as JSON (most files share one text: resolved once). */
  metasText: string
  /** Lines cached. */
  count: number
  /** Per column of {@link COLUMNS}, one value per line. */
  columns: Record<(typeof COLUMNS)[number], ArrayLike<number>>
}

/**
 * Per-(run, case, profile, machine) aggregates of a history: p5/p50/p95 and count of the samples,
 * throughput, items per op, peak RSS and fingerprint, computed by DuckDB (`src/_aggregate-sql.ts`) and
 * cached per history file in `<dir>/.report-index/aggregates/<file>.json`, keyed like the run index by the
 * file's size and mtime, so appending a run recomputes that file only. Only the lines the run index holds
 * valid are kept: a bad line (counted and named by the index) is in no aggregate.
 * @param index - the run index of the history.
 * @throws HistoryError `REPORT_READ_FAILED` when DuckDB cannot aggregate a file the index read.
 * @example (await loadRunAggregates(loadRunIndex('benchmarks'))).aggregates[0]?.p50
 */
export async function loadRunAggregates(index: RunIndex, filter: AggregateFilter = {}): Promise<AggregatedHistory> {
  const where = lineRuns(index, filter.runs)
  const series = new Map<string, AggregateSeries>()
  const keys = new Set<string>()
  const selector = filter.case
  const wanted =
    selector === undefined ? undefined : (key: string): boolean => key === selector || key.endsWith(`/${selector}`)
  const add = interning(series, keys, wanted)
  const stale: StaleFile[] = []
  const stats = new Map<string, { size: number; mtimeMs: number }>()
  for (const file of index.files.filter((f) => where.has(f))) {
    // A compacted day is keyed, like the run index keys it, by its month's Parquet file.
    const container = containerOf(index.dir, file)
    // A month of compacted days holds some 300 files: stat'ed once.
    let st = stats.get(container)
    if (st === undefined) stats.set(container, (st = statSync(join(index.dir, container))))
    const hit = readCache(index.dir, file)
    // Added as it is read, not kept: a 10,000-file history never holds more than one parsed cache file.
    if (hit !== null && hit.size === st.size && hit.mtimeMs === st.mtimeMs) add(hit, where.get(file)!)
    else stale.push({ file, container, size: st.size, mtimeMs: st.mtimeMs })
  }
  if (stale.length > 0) await computeStale(index.dir, stale, (file, c) => add(c, where.get(file)!))
  return { runs: index.runs, aggregates: ordered(series), computedFiles: stale.length, keys }
}

/**
 * The same aggregates computed in JS from loaded records (`quantile` over each record's sorted samples):
 * what a history read whole gives, and the reference the DuckDB aggregates are tested against.
 * @param history - a loaded history.
 */
export function historyAggregates(history: History): AggregatedHistory {
  const series = new Map<string, AggregateSeries>()
  history.runs.forEach((run, runIndex) => {
    for (const { record: r } of run.records) {
      const sorted = Float64Array.from(r.samples_ms).sort()
      addPoint(series, runIndex, [caseKey(r), r.unit, r.config.profile, r.machine.id, r.fingerprint], {
        n: sorted.length,
        p5: quantile(sorted, 0.05),
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        itemsPerS: r.throughput.items_per_s,
        itemsPerOp: r.items_per_op,
        rssPeakBytes: r.memory.rss_peak_bytes,
      })
    }
  })
  return { runs: history.runs, aggregates: ordered(series) }
}

/**
 * Per file holding a kept run, per valid line (as the run index holds it), the index of its run (-1: no valid
 * record, or a run not kept).
 */
function lineRuns(index: RunIndex, keep: AggregateFilter['runs']): Map<string, Int32Array> {
  const top = new Map<string, number>()
  const kept = index.runs.map((run, i) => keep === undefined || keep(run, i))
  index.runs.forEach((run, i) => {
    if (kept[i]) for (const [file, ranges] of run.lines) top.set(file, Math.max(top.get(file) ?? 0, ranges.at(-1)!))
  })
  const out = new Map<string, Int32Array>()
  for (const [file, max] of top) out.set(file, new Int32Array(max + 1).fill(-1))
  index.runs.forEach((run, i) => {
    if (!kept[i]) return
    for (const [file, ranges] of run.lines) {
      const m = out.get(file)!
      for (let r = 0; r < ranges.length; r += 2) m.fill(i, ranges[r], ranges[r + 1]! + 1)
    }
  })
  return out
}

/** `[key, unit, profile, machine, fingerprint]` of a record. */
type Meta = [string, string, string, string, string]

type PointValues = Pick<AggregateSeries, 'n' | 'p5' | 'p50' | 'p95' | 'itemsPerS' | 'itemsPerOp' | 'rssPeakBytes'>
type Point = { [K in keyof PointValues]: PointValues[K][number] }

/** Appends one point; the series key is case, profile and machine (a machine change starts another series). */
function addPoint(
  series: Map<string, AggregateSeries>,
  run: number,
  meta: readonly [string, string, string, string, string],
  p: Point,
): void {
  pushPoint(seriesOf(series, meta), run, meta[4], p)
}

/** The series of a case, profile and machine (a machine change starts another series), created on first use. */
function seriesOf(
  series: Map<string, AggregateSeries>,
  meta: readonly [string, string, string, string, string],
): AggregateSeries {
  const [key, unit, profile, machineId] = meta
  const id = `${key}\u0000${profile === 'quick' ? '' : profile}\u0000${machineId}`
  let s = series.get(id)
  if (s === undefined) {
    const [pkg = '', suite = '', name = ''] = splitKey(key)
    s = { key, package: pkg, suite, case: name, unit, profile, machineId, run: [], ...emptyPoints() }
    series.set(id, s)
  }
  return s
}

function pushPoint(s: AggregateSeries, run: number, fingerprint: string, p: Point): void {
  s.run.push(run)
  s.n.push(p.n)
  s.p5.push(p.p5)
  s.p50.push(p.p50)
  s.p95.push(p.p95)
  s.itemsPerS.push(p.itemsPerS)
  s.itemsPerOp.push(p.itemsPerOp)
  s.rssPeakBytes.push(p.rssPeakBytes)
  s.fingerprint.push(fingerprint)
}

/** `package/suite/case` → its three parts (a package name may hold a slash: `@scope/name`). */
function splitKey(key: string): [string, string, string] {
  const c = key.lastIndexOf('/')
  const s = key.lastIndexOf('/', c - 1)
  return [key.slice(0, s), key.slice(s + 1, c), key.slice(c + 1)]
}

/** Adds a cached file's valid lines to the series; equal strings of every file shared (one fingerprint string, not 1M). */
function interning(
  series: Map<string, AggregateSeries>,
  keys: Set<string>,
  wanted: ((key: string) => boolean) | undefined,
): (c: CachedFile, runs: Int32Array) => void {
  const strings = new Map<string, string>()
  const one = (x: string): string => {
    const hit = strings.get(x)
    if (hit !== undefined) return hit
    strings.set(x, x)
    return x
  }
  // Files of the same cases share their strings' text: parsed and looked up once, not once a file.
  const resolved = new Map<string, { metas: Meta[]; targets: (AggregateSeries | null)[] }>()
  return (c, runs) => {
    let r = resolved.get(c.metasText)
    if (r === undefined) {
      const metas = (JSON.parse(c.metasText) as Meta[]).map((m) => m.map(one) as Meta)
      for (const m of metas) keys.add(m[0])
      r = { metas, targets: metas.map((m) => (wanted === undefined || wanted(m[0]) ? seriesOf(series, m) : null)) }
      resolved.set(c.metasText, r)
    }
    const { metas, targets } = r
    const k = c.columns
    for (let i = 0; i < c.count; i++) {
      const run = runs[k.line[i]!] ?? -1
      // Not a valid line of a run in the index (bad, a duplicate, or appended after the index was read).
      if (run < 0) continue
      const m = k.meta[i]!
      const target = targets[m]!
      if (target === null) continue
      const rss = k.rssPeakBytes[i]!
      pushPoint(target, run, metas[m]![4], {
        n: k.n[i]!,
        p5: k.p5[i]!,
        p50: k.p50[i]!,
        p95: k.p95[i]!,
        itemsPerS: k.itemsPerS[i]!,
        itemsPerOp: k.itemsPerOp[i]!,
        rssPeakBytes: Number.isNaN(rss) ? null : rss,
      })
    }
  }
}

/** Points in run order, series by case and profile, a case's machines in the order they first measured it. */
function ordered(series: Map<string, AggregateSeries>): AggregateSeries[] {
  for (const s of series.values()) {
    const order = s.run.map((_, i) => i).sort((a, b) => s.run[a]! - s.run[b]!)
    if (order.every((v, i) => v === i)) continue
    for (const k of Object.keys(s) as (keyof AggregateSeries)[]) {
      const v = s[k]
      if (Array.isArray(v)) (s as unknown as Record<string, unknown[]>)[k] = order.map((i) => v[i])
    }
  }
  const caseOf = (id: string): string => id.slice(0, id.lastIndexOf('\u0000'))
  // A series made for a file's line that was not valid holds no point: left out.
  return [...series.entries()]
    .filter(([, s]) => s.run.length > 0)
    .sort(([a, x], [b, y]) => (caseOf(a) < caseOf(b) ? -1 : caseOf(a) > caseOf(b) ? 1 : x.run[0]! - y.run[0]!))
    .map(([, s]) => s)
}

function cachePath(dir: string, file: string): string {
  return join(dir, INDEX_DIR, AGGREGATES_DIR, `${file}.agg`)
}

function readCache(dir: string, file: string): CachedFile | null {
  try {
    const buf = readFileSync(cachePath(dir, file))
    const end = buf.indexOf(10)
    const head = JSON.parse(buf.toString('utf8', 0, end)) as Omit<CachedFile, 'columns' | 'metasText'> & {
      body: number
    }
    const metasText = buf.toString('utf8', end + 1, buf.indexOf(10, end + 1))
    if (head.version !== AGGREGATES_VERSION || buf.length !== head.body + COLUMNS.length * head.count * 8) return null
    // A copy, so the float64 view is aligned whatever the buffer's offset in Node's pool.
    const body = new Float64Array(buf.buffer.slice(buf.byteOffset + head.body, buf.byteOffset + buf.length))
    const columns = Object.fromEntries(
      COLUMNS.map((name, j) => [name, body.subarray(j * head.count, (j + 1) * head.count)]),
    ) as unknown as CachedFile['columns']
    return { version: head.version, size: head.size, mtimeMs: head.mtimeMs, metasText, count: head.count, columns }
  } catch {
    // No cache, or a torn one: recomputed.
    return null
  }
}

/** A history file whose cached aggregates are missing or out of date, and where its lines are. */
interface StaleFile {
  /** The history file (`2026-11-27_main.ndjson`). */
  file: string
  /** Where its lines are: the file itself, or its month's Parquet file once compacted. */
  container: string
  /** Size and mtime of the container, the cache's key. */
  size: number
  mtimeMs: number
}

/** DuckDB aggregates the stale files in batches; each file's cache is written as soon as it is known. */
async function computeStale(
  dir: string,
  stale: StaleFile[],
  into: (file: string, c: CachedFile) => void,
): Promise<void> {
  // Imported here: a history whose aggregates are all cached loads no DuckDB.
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '256MB' })
  const connection = await instance.connect()
  let writable = true
  try {
    for (let i = 0; i < stale.length; i += BATCH_FILES) {
      const batch = stale.slice(i, i + BATCH_FILES)
      let columns: Map<string, AggregateColumns>
      try {
        columns = await aggregateFiles(connection, dir, batch)
      } catch (error) {
        throw new HistoryError(
          'REPORT_READ_FAILED',
          `report: DuckDB could not aggregate ${batch.length} history file(s) from ${batch[0]!.file}: ${(error as Error).message}`,
          { cause: error },
        )
      }
      for (const b of batch) {
        const c = toCached(b.size, b.mtimeMs, columns.get(b.file) ?? emptyColumns())
        into(b.file, c)
        if (writable) writable = writeCache(dir, b.file, c)
      }
    }
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

function toCached(size: number, mtimeMs: number, c: AggregateColumns): CachedFile {
  const metas: Meta[] = []
  const ids = new Map<string, number>()
  const meta = c.line.map((_, i) => {
    const tuple: Meta = [c.key[i]!, c.unit[i]!, c.profile[i]!, c.machine[i]!, c.fingerprint[i]!]
    const k = tuple.join('\u0000')
    let id = ids.get(k)
    if (id === undefined) {
      ids.set(k, (id = metas.length))
      metas.push(tuple)
    }
    return id
  })
  const rssPeakBytes = c.rssPeakBytes.map((v) => v ?? Number.NaN)
  const columns = { ...c, meta, rssPeakBytes }
  return { version: AGGREGATES_VERSION, size, mtimeMs, metasText: JSON.stringify(metas), count: c.line.length, columns }
}

/** Writes one file's cache (atomically); false when the history is read-only (then kept in memory only). */
function writeCache(dir: string, file: string, c: CachedFile): boolean {
  const path = cachePath(dir, file)
  const { columns, metasText, ...rest } = c
  // The body starts on 8 bytes after the two header lines; 16 bytes of room for the digits of `body` itself.
  const lines = (body: number): string => `${JSON.stringify({ ...rest, body })}\n${metasText}`
  const at = Math.ceil((Buffer.byteLength(lines(0)) + 1 + 16) / 8) * 8
  const head = lines(at)
  const body = new Float64Array(COLUMNS.length * c.count)
  COLUMNS.forEach((name, j) => body.set(Array.from(columns[name]), j * c.count))
  const out = Buffer.alloc(at + body.byteLength, 0x20)
  out.write(head, 0, 'utf8')
  out[Buffer.byteLength(head)] = 10
  Buffer.from(body.buffer).copy(out, at)
  try {
    mkdirSync(join(dir, INDEX_DIR, AGGREGATES_DIR), { recursive: true })
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, out)
    renameSync(tmp, path)
    return true
  } catch {
    return false
  }
}
