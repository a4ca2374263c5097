// Where history lines come from when they are not in an NDJSON file: the days `report compact` moved into
// their month's `<YYYY-MM>.parquet`, one row per line (source file name, 1-based line number, verbatim text). Joined
// back with '\n', a source's rows give its NDJSON text exactly, so every reader splits, numbers and
// validates them as it does a file's.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { HistoryError } from './errors.ts'

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
  try {
    const reader = await connection.runAndReadAll(
      `SELECT file, string_agg(text, chr(10) ORDER BY line) FROM read_parquet(${sqlPath(path)}) GROUP BY file ORDER BY file`,
    )
    const [names, contents] = reader.getColumns() as [string[], string[]]
    return new Map(names.map((name, i) => [name, contents[i]!]))
  } catch (error) {
    throw new HistoryError('REPORT_READ_FAILED', `report: DuckDB could not read ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
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
    this.#instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB' })
    this.#connection = await this.#instance.connect()
    return this.#connection
  }
}
