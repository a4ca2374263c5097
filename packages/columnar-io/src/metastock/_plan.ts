// Shared by the sync and the parallel importer: walk the directories, plan where every file's rows go (preallocated
// from file sizes), then compact away the slots of skipped records and describe the result.
import { statSync } from 'node:fs'
import { SymbolDictionary } from '../_symbol-dictionary.ts'
import { createColumnTable, isSharedTable } from '../column-table.ts'
import { MetaStockError } from '../errors.ts'
import type { ColumnTable, MetaStockFileInfo, MetaStockIssue, MetaStockResult, ReadMetaStockOptions } from '../types.ts'
import type { OutColumns } from '../_out-columns.ts'
import type { DecodeResult, DecodeTask } from './_decode.ts'
import { scanDirectory, type DataFile } from './_index.ts'

export interface Plan {
  files: DataFile[]
  tasks: DecodeTask[]
  issues: MetaStockIssue[]
  symbols: string[]
  capacity: number
  openInterest: boolean
}

/** Scans `roots` (and, when `recursive`, every directory below them) and plans the import. */
export function planImport(roots: readonly string[], recursive: boolean, options: ReadMetaStockOptions): Plan {
  const issues: MetaStockIssue[] = []
  const files: DataFile[] = []
  const stack: string[] = []
  for (const root of [...roots].reverse()) {
    let isDir = false
    try {
      isDir = statSync(root).isDirectory()
    } catch (error) {
      throw new MetaStockError(`metastock: no directory at ${root}`, root, { cause: error })
    }
    if (!isDir) throw new MetaStockError(`metastock: ${root} is not a directory`, root)
    stack.push(root)
  }
  while (stack.length > 0) {
    const dir = stack.pop()!
    let scanned
    try {
      scanned = scanDirectory(dir)
    } catch (error) {
      issues.push({
        file: dir,
        code: 'unreadable',
        message: `metastock: cannot read ${dir}: ${(error as Error).message}`,
      })
      continue
    }
    files.push(...scanned.files)
    issues.push(...scanned.issues)
    if (recursive) for (let i = scanned.subdirectories.length - 1; i >= 0; i--) stack.push(scanned.subdirectories[i]!)
  }
  const dict = new SymbolDictionary()
  const tasks: DecodeTask[] = []
  const fiveOpen = options.fiveFields === 'date-open-high-low-close'
  let capacity = 0
  let openInterest = false
  for (const f of files) {
    const code = dict.code(f.symbol)
    const rows = Math.max(0, Math.floor(f.size / (4 * f.fields)) - 1)
    if (f.fields >= 7) openInterest = true
    const name = f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')) + 1)
    tasks.push({ path: f.path, name, fields: f.fields, fiveOpen, code, at: capacity, capacity: rows })
    capacity += rows
  }
  return {
    files,
    tasks,
    issues,
    symbols: dict.names,
    capacity,
    openInterest: openInterest && options.openInterest !== false,
  }
}

/** The table to decode into: `options.into` when it is big enough (and shared when `shared`), else a new one. */
export function allocate(plan: Plan, shared: boolean, into: ColumnTable | undefined): ColumnTable {
  const n = plan.capacity
  if (
    into !== undefined &&
    into.symbol.length >= n &&
    into.date.length >= n &&
    into.open.length >= n &&
    into.high.length >= n &&
    into.low.length >= n &&
    into.close.length >= n &&
    into.volume.length >= n &&
    (!plan.openInterest || (into.openInterest !== null && into.openInterest.length >= n)) &&
    (!shared || isSharedTable(into))
  ) {
    return into
  }
  return createColumnTable(n, { shared, openInterest: plan.openInterest })
}

/** The output columns of `table` for the decoders. */
export function outColumns(table: ColumnTable, plan: Plan): OutColumns {
  return {
    symbol: table.symbol,
    date: table.date,
    open: table.open,
    high: table.high,
    low: table.low,
    close: table.close,
    volume: table.volume,
    openInterest: plan.openInterest ? table.openInterest : null,
  }
}

/** Moves each file's rows down over the slots of skipped records and builds the result. */
export function finish(plan: Plan, results: readonly DecodeResult[], target: ColumnTable): MetaStockResult {
  const issues = [...plan.issues]
  const files: MetaStockFileInfo[] = []
  const cols: (Int32Array | Float64Array)[] = [
    target.symbol,
    target.date,
    target.open,
    target.high,
    target.low,
    target.close,
    target.volume,
  ]
  if (plan.openInterest) cols.push(target.openInterest!)
  let write = 0
  plan.tasks.forEach((task, i) => {
    const r = results[i]!
    issues.push(...r.issues)
    if (write !== task.at && r.rows > 0) for (const c of cols) c.copyWithin(write, task.at, task.at + r.rows)
    const f = plan.files[i]!
    files.push({
      file: f.path,
      index: f.index,
      fileNumber: f.fileNumber,
      symbol: f.symbol,
      name: f.name,
      fields: f.fields,
      periodicity: f.periodicity,
      rows: r.rows,
      start: write,
      firstDate: r.firstDate,
      lastDate: r.lastDate,
    })
    write += r.rows
  })
  const table: ColumnTable = {
    length: write,
    symbols: plan.symbols,
    symbol: target.symbol.subarray(0, write),
    date: target.date.subarray(0, write),
    open: target.open.subarray(0, write),
    high: target.high.subarray(0, write),
    low: target.low.subarray(0, write),
    close: target.close.subarray(0, write),
    volume: target.volume.subarray(0, write),
    openInterest: plan.openInterest ? target.openInterest!.subarray(0, write) : null,
  }
  return { table, issues, files }
}
