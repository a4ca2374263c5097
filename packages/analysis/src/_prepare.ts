// Validation and set-up shared by the sync and the pooled standard analysis.
import type { ColumnTable } from '@ttapi/columnar-io'
import { BAD_CODE, BAD_DATE, BAD_SPLIT, STATISTIC_COUNT } from './_analyze-range.ts'
import type { AnalyzeColumns, AnalyzeParams } from './_analyze-range.ts'
import { benchmarkReturns } from './beta.ts'
import { InvalidOptionError, InvalidTableError } from './errors.ts'
import { STANDARD_STATISTICS } from './standard-statistics.ts'
import type { StandardAnalysisOptions, StandardAnalysisResult, StandardStatistic } from './types.ts'

/** Everything a standard-analysis run needs besides the output block. */
export interface Prepared {
  params: AnalyzeParams
  columns: AnalyzeColumns
  /** Dictionary size: the stride of the code-indexed output block. */
  stride: number
}

function show(v: unknown): string {
  return `\`${String(v)}\` (${typeof v})`
}

/** Checks that `value` is undefined or an integer of at least `min`. */
export function checkInteger(name: string, value: unknown, min: number): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
    throw new InvalidOptionError(`analysis: expected \`${name}\` to be an integer from ${min} up, got ${show(value)}`)
  }
}

/** Validates the options and the table's shape, and resolves the benchmark; never scans the whole table. */
export function prepare(table: ColumnTable, options: StandardAnalysisOptions): Prepared {
  const { riskFreeRate = 0, periodsPerYear = 252, benchmark } = options
  if (typeof riskFreeRate !== 'number' || !Number.isFinite(riskFreeRate)) {
    throw new InvalidOptionError(`analysis: expected \`riskFreeRate\` to be a finite number, got ${show(riskFreeRate)}`)
  }
  if (typeof periodsPerYear !== 'number' || !(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw new InvalidOptionError(
      `analysis: expected \`periodsPerYear\` to be a finite number above 0, got ${show(periodsPerYear)}`,
    )
  }
  checkInteger('workers', options.workers, 1)
  checkInteger('singleThreadBelowRows', options.singleThreadBelowRows, 0)
  const n = table.length
  for (const name of ['symbol', 'date', 'high', 'low', 'close', 'volume'] as const) {
    const col = table[name] as Int32Array | Float64Array | undefined
    if (col === undefined || col.length < n) {
      throw new InvalidTableError(
        `analysis: column \`${name}\` has ${col === undefined ? 'no values' : `${col.length} values`} for a table of ${n} rows`,
      )
    }
  }
  let bench: AnalyzeParams['benchmark'] = null
  if (typeof benchmark === 'string') {
    const code = table.symbols.indexOf(benchmark)
    const s = code < 0 ? -1 : table.symbol.subarray(0, n).indexOf(code)
    if (s < 0)
      throw new InvalidOptionError(`analysis: \`benchmark\` names \`${benchmark}\`, which has no rows in the table`)
    let e = s + 1
    while (e < n && table.symbol[e] === code) e++
    bench = benchmarkReturns(table.date, table.close, s, e)
  } else if (benchmark !== undefined) {
    if (benchmark.date.length !== benchmark.close.length) {
      throw new InvalidOptionError(
        `analysis: \`benchmark\` has ${benchmark.date.length} dates but ${benchmark.close.length} prices`,
      )
    }
    for (let i = 1; i < benchmark.date.length; i++) {
      if (benchmark.date[i]! <= benchmark.date[i - 1]!) {
        throw new InvalidOptionError(`analysis: \`benchmark\` dates must increase, but date ${i} does not`)
      }
    }
    bench = benchmarkReturns(benchmark.date, benchmark.close)
  }
  const { symbol, date, high, low, close, volume } = table
  return {
    params: { riskFreeRate, periodsPerYear, benchmark: bench },
    columns: { symbol, date, high, low, close, volume },
    stride: table.symbols.length,
  }
}

/** Throws for the problem a run reported (row * 4 + kind), if any. */
export function checkProblem(table: ColumnTable, problem: number): void {
  if (problem < 0) return
  const row = Math.floor(problem / 4)
  const kind = problem % 4
  const code = table.symbol[row]!
  const name = table.symbols[code] ?? `#${code}`
  if (kind === BAD_CODE) {
    throw new InvalidTableError(
      `analysis: row ${row} has symbol code ${code}, outside the dictionary of ${table.symbols.length} symbols`,
    )
  }
  if (kind === BAD_DATE) {
    throw new InvalidTableError(
      `analysis: table is not sorted by (symbol, date): row ${row} (\`${name}\`) has day ${table.date[row]}, not after day ${table.date[row - 1]}`,
    )
  }
  if (kind !== BAD_SPLIT) throw new InvalidTableError(`analysis: unknown table problem ${kind} at row ${row}`)
  throw new InvalidTableError(
    `analysis: table is not sorted by symbol: \`${name}\` has rows in two separate runs (one starts at row ${row})`,
  )
}

/**
 * The result from a code-indexed output block: rows for the symbols that have rows, in table order.
 * @param out - statistic-major block, statistic j of code c at `j * stride + c`
 */
export function buildResult(
  table: ColumnTable,
  out: Float64Array,
  stride: number,
  claimed: Int32Array,
  startRow: Int32Array,
  copiedToShared: boolean,
  threads: number,
): StandardAnalysisResult {
  const present: number[] = []
  for (let c = 0; c < stride; c++) if (claimed[c] === 1) present.push(c)
  present.sort((x, y) => startRow[x]! - startRow[y]!)
  const length = present.length
  const block = new Float64Array(STATISTIC_COUNT * length)
  const columns = {} as Record<StandardStatistic, Float64Array>
  STANDARD_STATISTICS.forEach((name, j) => {
    const col = block.subarray(j * length, (j + 1) * length)
    for (let k = 0; k < length; k++) col[k] = out[j * stride + present[k]!]!
    columns[name] = col
  })
  return { length, symbols: present.map((c) => table.symbols[c]!), columns, copiedToShared, threads }
}
