import { readdirSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { SymbolDictionary } from '../_symbol-dictionary.ts'
import { CsvFormatError } from '../errors.ts'
import type { CsvIssue, CsvResult, ImportCsvOptions } from '../types.ts'
import { WorkerPool } from '../worker-pool.ts'
import { allocSink, moveRows, sinkTable } from './_columns.ts'
import { symbolFromPath } from '../_symbol-from-path.ts'
import { ROLE } from '../_column-roles.ts'
import { parseRange, scanRange, type ParseResult, type ParseTask, type ScanResult, type ScanTask } from './_jobs.ts'
import type { OutColumns } from '../_out-columns.ts'

/** The CSV scanners and parsers, kept across imports. */
const pool = new WorkerPool(new URL('./_worker.ts', import.meta.url), 'csv')

const CSV_NAME = /\.(csv|tsv|txt)$/i

/** Every CSV file under `dir`, depth first, sorted by name within each folder. */
function listCsv(dir: string): string[] {
  const out: string[] = []
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const e of entries) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...listCsv(p))
    else if (e.isFile() && CSV_NAME.test(e.name)) out.push(p)
  }
  return out
}

function validateOptions(options: ImportCsvOptions): void {
  const { workers, chunkBytes } = options
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) {
    throw new TypeError(
      `Expected \`workers\` to be an integer from 0 up, got \`${String(workers)}\` (${typeof workers})`,
    )
  }
  if (chunkBytes !== undefined && (!Number.isInteger(chunkBytes) || chunkBytes < 1)) {
    throw new TypeError(
      `Expected \`chunkBytes\` to be an integer from 1 up, got \`${String(chunkBytes)}\` (${typeof chunkBytes})`,
    )
  }
}

/**
 * Imports CSV files — a file, a list of files, or a directory searched recursively for `*.csv` — into one column
 * table, parsing in parallel on worker threads: many files are spread over the workers, and a large file is split
 * at line boundaries (quote-aware) into parts whose rows land directly in shared columns, in file order.
 * A single file that is not an OHLCV CSV rejects with `CsvFormatError`; among several files, such a file becomes one
 * issue (line 0) and the rest imports.
 * @param input - a file or directory path, or a list of file paths
 * @param options - worker count, part size, and the `readCsv` options
 * @example
 * const { table, issues } = await importCsv('data/csv', { workers: 2 })
 */
export async function importCsv(input: string | string[], options: ImportCsvOptions = {}): Promise<CsvResult> {
  validateOptions(options)
  const { paths, sizes, single } = resolveInputs(input)
  const totalBytes = sizes.reduce((a, b) => a + b, 0)
  const nWorkers = options.workers ?? Math.min(availableParallelism(), 8)
  const useWorkers = nWorkers > 0 && totalBytes >= 1 << 20
  let chunk = Math.max(1 << 16, options.chunkBytes ?? 16 << 20)
  if (useWorkers && paths.length < nWorkers) {
    const biggest = Math.max(...sizes)
    chunk = Math.max(1 << 16, Math.min(chunk, Math.ceil(biggest / nWorkers)))
  }
  const detect = { delimiter: options.delimiter, dateFormat: options.dateFormat, adjustedClose: options.adjustedClose }

  const scanTasks: ScanTask[] = []
  const firstTask: number[] = []
  paths.forEach((path, f) => {
    firstTask.push(scanTasks.length)
    const size = sizes[f]!
    const parts = Math.max(1, Math.ceil(size / chunk))
    for (let p = 0; p < parts; p++) {
      scanTasks.push({ path, start: p * chunk, end: Math.min(size, (p + 1) * chunk), detect: p === 0, options: detect })
    }
  })
  firstTask.push(scanTasks.length)
  const weight = (t: { start: number; end: number }): number => t.end - t.start + 4096
  const scans: ScanResult[] = useWorkers
    ? await pool.run<ScanTask, ScanResult>(nWorkers, 'scan', scanTasks, weight, 8 << 20)
    : scanTasks.map((t) => scanRange(t))

  const issues: CsvIssue[] = []
  const dict = new SymbolDictionary()
  const parseTasks: ParseTask[] = []
  let total = 0
  let hasOi = false
  paths.forEach((path, f) => {
    const first = scans[firstTask[f]!]!
    if (first.error !== null || first.spec === null) {
      if (single) throw new CsvFormatError(first.error ?? `csv: ${path} could not be read`, path)
      issues.push({ file: path, line: 0, message: first.error ?? 'could not be read' })
      return
    }
    const spec = first.spec
    if ((spec.present & (1 << ROLE.openInterest)) !== 0) hasOi = true
    const fixed = (spec.present & (1 << ROLE.symbol)) === 0 ? dict.code(options.symbol ?? symbolFromPath(path)) : -1
    const fileScans = scans.slice(firstTask[f], firstTask[f + 1])
    total += fileParseTasks({ path, size: sizes[f]!, spec, fixed, row: total }, fileScans, parseTasks)
  })

  const sink = allocSink(total, hasOi, useWorkers || options.shared === true)
  const parsed: ParseResult[] = useWorkers
    ? await pool.run<ParseTask, ParseResult>(nWorkers, 'parse', parseTasks, weight, 8 << 20, sink)
    : parseTasks.map((t) => parseRange(t, sink))

  let dest = 0
  parseTasks.forEach((task, i) => {
    const res = parsed[i]!
    if (task.fixed < 0) remapSymbols(sink, task.row, res, dict)
    moveRows(sink, dest, task.row, res.written)
    dest += res.written
    for (const issue of res.issues) issues.push(issue)
  })
  return { table: sinkTable(sink, dest, dict.names), issues }
}

/** The files to import and their sizes; `single` when the input named one file (its errors then reject). */
function resolveInputs(input: string | string[]): { paths: string[]; sizes: number[]; single: boolean } {
  let paths: string[]
  let single = false
  if (typeof input === 'string') {
    let isDir: boolean
    try {
      isDir = statSync(input).isDirectory()
    } catch (cause) {
      throw new CsvFormatError(`csv: cannot read ${input}: ${(cause as Error).message}`, input, { cause })
    }
    paths = isDir ? listCsv(input) : [input]
    single = !isDir
  } else paths = input
  const sizes = paths.map((p) => {
    try {
      return statSync(p).size
    } catch (cause) {
      throw new CsvFormatError(`csv: cannot read ${p}: ${(cause as Error).message}`, p, { cause })
    }
  })
  return { paths, sizes, single }
}

/**
 * Appends one file's parse tasks — a segment per scanned part, each starting after the part's first unquoted line
 * feed (the first after the header) and given the row its records land at — and returns the file's record count.
 */
function fileParseTasks(
  file: Pick<ParseTask, 'path' | 'spec' | 'fixed' | 'row'> & { size: number },
  scans: ScanResult[],
  out: ParseTask[],
): number {
  const { path, size, spec, fixed } = file
  const starts = [spec.headerEnd]
  const before = [0]
  let odd = 0
  let unquoted = 0
  let lastByte = -1
  scans.forEach((r, j) => {
    const firstNl = odd === 0 ? r.first0 : r.first1
    if (j > 0 && firstNl >= 0) {
      starts.push(firstNl + 1)
      before.push(unquoted)
    }
    unquoted += odd === 0 ? r.nl0 : r.nl1
    odd ^= r.quotes & 1
    if (r.lastByte >= 0) lastByte = r.lastByte
  })
  const records = Math.max(0, unquoted - 1 + (lastByte !== 10 && size > spec.headerEnd ? 1 : 0))
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k]!
    const end = k + 1 < starts.length ? starts[k + 1]! : size
    const slots = (k + 1 < starts.length ? before[k + 1]! : records) - before[k]!
    if (end <= start || slots <= 0) continue
    const row = file.row + before[k]!
    out.push({ path, start, end, row, limit: row + slots, line: before[k]! + 2, spec, fixed })
  }
  return records
}

/** Rewrites a part's local symbol codes as codes of the merged dictionary. */
function remapSymbols(sink: OutColumns, row: number, res: ParseResult, dict: SymbolDictionary): void {
  const map = dict.remap(res.symbols)
  if (map.every((code, local) => code === local)) return
  const col = sink.symbol
  for (let r = row, end = row + res.written; r < end; r++) col[r] = map[col[r]!]!
}
