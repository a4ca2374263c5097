// Where history lines come from when they are not in an NDJSON file: the days `report compact` moved into
// their month's `<YYYY-MM>.parquet`, one row per line (source file name, 1-based line number, verbatim text). Joined
// back with '\n', a source's rows give its NDJSON text exactly, so every reader splits, numbers and
// validates them as it does a file's.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { HistoryError } from './errors.ts'

/**
 * Above this resident size a month is read only after a full garbage collection. A month's text is some
 * 64 MB, and DuckDB's result behind it lives outside V8's heap until its wrapper is collected: a cold index
 * of 10M records (329 months) reached 5.4 GB without it.
 */
const RSS_BOUND = 512 * 1024 * 1024

let gc: (() => void) | undefined

/** A full garbage collection when the process holds more than `bytes` (V8's own heuristics do not see DuckDB's memory). */
function collectAbove(bytes: number): void {
  if (process.memoryUsage.rss() <= bytes) return
  if (gc === undefined) {
    // Reached at run time: node was not started with --expose-gc.
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

/** `YYYY-MM-DD_…`: the day of a history file, from its name. */
const DAY = /^(\d{4}-\d{2}-\d{2})_/

/** Whether a file name is a month of compacted days (`2026-11.parquet`). */
export function isHistoryParquet(file: string): boolean {
  return /^\d{4}-\d{2}\.parquet$/.test(file)
}

/** The day (`YYYY-MM-DD`) a history file's name begins with, or null. */
export function dayOf(file: string): string | null {
  return DAY.exec(file)?.[1] ?? null
}

/** The Parquet file a compacted history file is kept in, its month's (`2026-11-27_main.ndjson` → `2026-11.parquet`), or null. */
export function parquetNameOf(source: string): string | null {
  const day = dayOf(source)
  return day === null ? null : `${day.slice(0, 7)}.parquet`
}

/**
 * Where a history file's lines are: the file itself when it exists (an NDJSON file wins over a Parquet copy
 * left by an interrupted compaction), else its month's Parquet file.
 */
export function containerOf(abs: string, source: string): string {
  const parquet = parquetNameOf(source)
  return parquet !== null && !existsSync(join(abs, source)) && existsSync(join(abs, parquet)) ? parquet : source
}

/** SQL string literal of a path. */
export function sqlPath(path: string): string {
  return `'${path.replaceAll("'", "''")}'`
}

/**
 * Every source a Parquet history file holds and its text (its lines joined with '\n', as the NDJSON file
 * held them), in name order.
 * @param connection - a DuckDB connection.
 * @param path - the Parquet file.
 * @throws HistoryError `REPORT_READ_FAILED` when DuckDB cannot read it.
 */
export async function parquetTexts(connection: DuckDBConnection, path: string): Promise<Map<string, string>> {
  // Streamed a chunk at a time (2,048 rows): DuckDB holds one chunk, not a month's text twice over as a
  // `string_agg` did (some 400 MB of native memory per month, kept by the allocator).
  const byFile = new Map<string, { lines: number[]; texts: string[] }>()
  try {
    const result = await connection.stream(`SELECT file, line, text FROM read_parquet(${sqlPath(path)})`)
    for (;;) {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      const [files, lines, texts] = chunk.getColumns() as [string[], number[], string[]]
      for (let i = 0; i < files.length; i++) {
        let f = byFile.get(files[i]!)
        if (f === undefined) byFile.set(files[i]!, (f = { lines: [], texts: [] }))
        f.lines.push(lines[i]!)
        f.texts.push(texts[i]!)
      }
    }
  } catch (error) {
    throw new HistoryError('REPORT_READ_FAILED', `report: DuckDB could not read ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  const out = new Map<string, string>()
  for (const name of [...byFile.keys()].sort()) {
    const { lines, texts } = byFile.get(name)!
    // Written in line order; put back in it if a reader ever hands the rows over otherwise.
    const ordered = lines.every((l, i) => i === 0 || lines[i - 1]! <= l)
    const order = ordered ? null : lines.map((_, i) => i).sort((a, b) => lines[a]! - lines[b]!)
    out.set(name, (order === null ? texts : order.map((i) => texts[i]!)).join('\n'))
  }
  return out
}

/**
 * Reads compacted days with DuckDB, loaded on first use (a history without Parquet files, or whose index is
 * cached, never loads it); the texts of the last file read are kept, since its sources are asked for in turn.
 */
export class ParquetLines {
  /** The history directory. */
  readonly dir: string
  #instance: DuckDBInstance | undefined
  #connection: DuckDBConnection | undefined
  #last: { file: string; texts: Map<string, string> } | undefined

  /** @param dir - the history directory (absolute). */
  constructor(dir: string) {
    this.dir = dir
  }

  /**
   * {@link parquetTexts} of a Parquet file of the history.
   * @param file - the Parquet file's name.
   */
  async texts(file: string): Promise<Map<string, string>> {
    if (this.#last?.file === file) return this.#last.texts
    this.#last = undefined
    collectAbove(RSS_BOUND)
    const texts = await parquetTexts(await this.#connect(), join(this.dir, file))
    this.#last = { file, texts }
    return texts
  }

  /**
   * The history files a Parquet file of the history holds, sorted (only its `file` column is read).
   * @throws HistoryError `REPORT_READ_FAILED` when DuckDB cannot read it.
   */
  async sources(file: string): Promise<string[]> {
    if (this.#last?.file === file) return [...this.#last.texts.keys()]
    const path = join(this.dir, file)
    const connection = await this.#connect()
    try {
      const reader = await connection.runAndReadAll(
        `SELECT DISTINCT file FROM read_parquet(${sqlPath(path)}) ORDER BY file`,
      )
      return reader.getColumns()[0] as string[]
    } catch (error) {
      throw new HistoryError(
        'REPORT_READ_FAILED',
        `report: DuckDB could not read ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      )
    }
  }

  /**
   * Only the given lines of the given files a Parquet file of the history holds (file → line → text): one
   * query, the text of no other line handed to JS.
   * @param file - the Parquet file's name.
   * @param wanted - file name → 1-based line numbers.
   * @throws HistoryError `REPORT_READ_FAILED` when DuckDB cannot read it.
   */
  async lines(
    file: string,
    wanted: ReadonlyMap<string, ReadonlySet<number>>,
  ): Promise<Map<string, Map<number, string>>> {
    const out = new Map<string, Map<number, string>>()
    if (wanted.size === 0) return out
    const path = join(this.dir, file)
    const names = [...wanted.keys()].map(sqlPath).join(', ')
    const numbers = [...new Set([...wanted.values()].flatMap((set) => [...set]))].join(', ')
    const connection = await this.#connect()
    let rows: [string, number, string][]
    try {
      const reader = await connection.runAndReadAll(
        `SELECT file, line, text FROM read_parquet(${sqlPath(path)}) WHERE file IN (${names}) AND line IN (${numbers})`,
      )
      rows = reader.getRows() as [string, number, string][]
    } catch (error) {
      throw new HistoryError(
        'REPORT_READ_FAILED',
        `report: DuckDB could not read ${path}: ${(error as Error).message}`,
        {
          cause: error,
        },
      )
    }
    for (const [name, line, text] of rows) {
      if (wanted.get(name)?.has(line) !== true) continue
      let lines = out.get(name)
      if (lines === undefined) out.set(name, (lines = new Map<number, string>()))
      lines.set(line, text)
    }
    return out
  }

  /** The text of one source kept in a Parquet file (empty when the file does not hold it). */
  async text(file: string, source: string): Promise<string> {
    return (await this.texts(file)).get(source) ?? ''
  }

  /** Closes DuckDB, if it was opened. */
  close(): void {
    this.#connection?.closeSync()
    this.#instance?.closeSync()
    this.#connection = undefined
    this.#instance = undefined
    this.#last = undefined
  }

  async #connect(): Promise<DuckDBConnection> {
    if (this.#connection !== undefined) return this.#connection
    // Imported here: the readers of NDJSON only load no DuckDB.
    const { DuckDBInstance } = await import('@duckdb/node-api')
    // Bounded: DuckDB's default (80% of the machine's memory) let a cold index of 10M records reach 5 GB.
    this.#instance = await DuckDBInstance.create(':memory:', { memory_limit: '256MB', threads: '1' })
    this.#connection = await this.#instance.connect()
    return this.#connection
  }
}
