// DuckDB's half of the run aggregates: per line of a history file, the fields a trend needs and the
// p5/p50/p95 of its samples, computed in SQL so no sample reaches JS.
import { basename, join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { sqlPath } from './_parquet-lines.ts'

/** The figures of a record a trend draws, one entry per record (a line of a file, a point of a series). */
export interface AggregatePoints {
  /** Number of samples. */
  n: number[]
  /** p5 / p50 / p95 of `samples_ms`, as `quantile` from `@ttapi/bench` computes them. */
  p5: number[]
  p50: number[]
  p95: number[]
  /** `throughput.items_per_s`. */
  itemsPerS: number[]
  /** `items_per_op`. */
  itemsPerOp: number[]
  /** `memory.rss_peak_bytes` (null when not measured). */
  rssPeakBytes: (number | null)[]
  /** The record's `fingerprint`. */
  fingerprint: string[]
}

/** One history file's aggregates as DuckDB computes them (parallel arrays, one entry per line). */
export interface AggregateColumns extends AggregatePoints {
  /** 1-based line numbers. */
  line: number[]
  /** `package/suite/case` per line. */
  key: string[]
  /** `unit` per line. */
  unit: string[]
  /** `config.profile` per line. */
  profile: string[]
  /** `machine.id` per line. */
  machine: string[]
}

/** Only the fields a trend reads: one JSON parse per line, typed by DuckDB. */
const SHAPE = JSON.stringify({
  package: 'VARCHAR',
  suite: 'VARCHAR',
  case: 'VARCHAR',
  unit: 'VARCHAR',
  fingerprint: 'VARCHAR',
  items_per_op: 'DOUBLE',
  samples_ms: 'DOUBLE[]',
  throughput: { items_per_s: 'DOUBLE' },
  memory: { rss_peak_bytes: 'DOUBLE' },
  config: { profile: 'VARCHAR' },
  machine: { id: 'VARCHAR' },
})

/**
 * `quantile` from `@ttapi/bench` in SQL, operation for operation (so equal to the last bit):
 * h = (n - 1) * p; x[floor(h)] + (h - floor(h)) * (x[ceil(h)] - x[floor(h)]) over the sorted list `s`
 * (1-based). DuckDB's `quantile_cont` interpolates the same points but not with the same arithmetic.
 */
function quantileSql(p: number): string {
  const h = `((len(s) - 1)::DOUBLE * ${p}::DOUBLE)`
  const lo = `s[floor(${h})::BIGINT + 1]`
  const hi = `s[ceil(${h})::BIGINT + 1]`
  return `${lo} + (${h} - floor(${h})) * (${hi} - ${lo})`
}

/**
 * Aggregates of every line of `files` that parses as a record (the caller keeps the lines the run index
 * holds valid): one `read_text` for the batch's NDJSON files, and the rows of the compacted ones from their
 * months' Parquet files (one row per line, numbered as in the NDJSON file); lines are numbered from 1 as the
 * index numbers them.
 * @param connection - an open DuckDB connection.
 * @param dir - the history directory.
 * @param files - history files in `dir` and where their lines are (the file, or its month's `.parquet`), each
 *   readable as UTF-8 (the index excluded the others whole).
 * @returns per file name, its lines' aggregates (in no particular order).
 */
export async function aggregateFiles(
  connection: DuckDBConnection,
  dir: string,
  files: readonly { file: string; container: string }[],
): Promise<Map<string, AggregateColumns>> {
  const texts = files.filter((f) => f.container === f.file).map((f) => sqlPath(join(dir, f.file)))
  const compacted = files.filter((f) => f.container !== f.file)
  const months = [...new Set(compacted.map((f) => sqlPath(join(dir, f.container))))]
  const parts = [
    ...(texts.length === 0
      ? []
      : [
          `SELECT filename, unnest(ls) AS text, unnest(range(1, len(ls) + 1)) AS line FROM (SELECT filename, string_split(content, chr(10)) AS ls FROM read_text([${texts.join(', ')}]))`,
        ]),
    ...(months.length === 0
      ? []
      : [
          `SELECT file AS filename, text, line FROM read_parquet([${months.join(', ')}]) WHERE file IN (${compacted.map((f) => sqlPath(f.file)).join(', ')})`,
        ]),
  ]
  const sql = `
WITH l AS (${parts.join(' UNION ALL ')}),
r AS (SELECT filename, line, json_transform(text, '${SHAPE}') AS j FROM l WHERE json_valid(text) AND trim(text) <> ''),
s AS (SELECT filename, line, j, list_sort(j.samples_ms) AS s FROM r WHERE j.samples_ms IS NOT NULL)
SELECT filename, line::DOUBLE, j.package || '/' || j.suite || '/' || j."case", j.unit, j.config.profile, j.machine.id,
  j.fingerprint, len(s)::DOUBLE, ${quantileSql(0.05)}, ${quantileSql(0.5)}, ${quantileSql(0.95)},
  j.throughput.items_per_s, j.items_per_op, j.memory.rss_peak_bytes
FROM s`
  const reader = await connection.runAndReadAll(sql)
  const cols = reader.getColumns() as unknown[][]
  const out = new Map<string, AggregateColumns>()
  const names = cols[0] as string[]
  for (let i = 0; i < names.length; i++) {
    const file = basename(names[i]!)
    let c = out.get(file)
    if (c === undefined) out.set(file, (c = emptyColumns()))
    c.line.push(cols[1]![i] as number)
    c.key.push(cols[2]![i] as string)
    c.unit.push(cols[3]![i] as string)
    c.profile.push(cols[4]![i] as string)
    c.machine.push(cols[5]![i] as string)
    c.fingerprint.push(cols[6]![i] as string)
    c.n.push(cols[7]![i] as number)
    c.p5.push((cols[8]![i] as number | null) ?? Number.NaN)
    c.p50.push((cols[9]![i] as number | null) ?? Number.NaN)
    c.p95.push((cols[10]![i] as number | null) ?? Number.NaN)
    c.itemsPerS.push(cols[11]![i] as number)
    c.itemsPerOp.push(cols[12]![i] as number)
    c.rssPeakBytes.push(cols[13]![i] as number | null)
  }
  return out
}

/** Columns with no line yet. */
export function emptyColumns(): AggregateColumns {
  return { line: [], key: [], unit: [], profile: [], machine: [], ...emptyPoints() }
}

/** Figures of no record yet. */
export function emptyPoints(): AggregatePoints {
  return { n: [], p5: [], p50: [], p95: [], itemsPerS: [], itemsPerOp: [], rssPeakBytes: [], fingerprint: [] }
}
