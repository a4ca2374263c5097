// Validation and set-up shared by the sync and the pooled standard analysis.
import { symbolRanges } from '@ttapi/columnar-io'
import type { ColumnTable, SymbolRanges } from '@ttapi/columnar-io'
import { STATISTIC_COUNT } from './_analyze-range.ts'
import type { AnalyzeColumns, AnalyzeParams } from './_analyze-range.ts'
import { benchmarkReturns } from './beta.ts'
import { InvalidOptionError, InvalidTableError } from './errors.ts'
import { STANDARD_STATISTICS } from './standard-statistics.ts'
import type { StandardAnalysisOptions, StandardAnalysisResult, StandardStatistic } from './types.ts'

/** Everything a standard-analysis run needs besides the output block. */
export interface Prepared {
  ranges: SymbolRanges
  symbols: string[]
  params: AnalyzeParams
  maxRows: number
  columns: AnalyzeColumns
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

/** Validates the options and the table, and resolves the benchmark. */
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
  const ranges = symbolRanges(table)
  const seen = new Set<number>()
  let maxRows = 0
  for (let k = 0; k < ranges.codes.length; k++) {
    const code = ranges.codes[k]!
    if (seen.has(code)) {
      throw new InvalidTableError(
        `analysis: table is not sorted by symbol: \`${table.symbols[code]}\` starts again at row ${ranges.starts[k]}`,
      )
    }
    seen.add(code)
    maxRows = Math.max(maxRows, ranges.ends[k]! - ranges.starts[k]!)
  }
  const symbols = Array.from(ranges.codes, (c) => table.symbols[c] ?? String(c))
  let bench: AnalyzeParams['benchmark'] = null
  if (typeof benchmark === 'string') {
    const k = symbols.indexOf(benchmark)
    if (k < 0)
      throw new InvalidOptionError(`analysis: \`benchmark\` names \`${benchmark}\`, which has no rows in the table`)
    bench = benchmarkReturns(table.date, table.close, ranges.starts[k], ranges.ends[k])
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
  return {
    ranges,
    symbols,
    params: { riskFreeRate, periodsPerYear, benchmark: bench },
    maxRows,
    columns: { date: table.date, high: table.high, low: table.low, close: table.close, volume: table.volume },
  }
}

/** Throws when a run found a date that does not increase within its symbol. */
export function checkSorted(table: ColumnTable, badRow: number): void {
  if (badRow < 0) return
  throw new InvalidTableError(
    `analysis: table is not sorted by (symbol, date): row ${badRow} (\`${table.symbols[table.symbol[badRow]!]}\`) has day ${table.date[badRow]}, not after day ${table.date[badRow - 1]}`,
  )
}

/** Wraps the statistic-major output block as result columns. */
export function buildResult(
  prepared: Prepared,
  out: Float64Array,
  copiedToShared: boolean,
  threads: number,
): StandardAnalysisResult {
  const length = prepared.symbols.length
  const columns = {} as Record<StandardStatistic, Float64Array>
  STANDARD_STATISTICS.forEach((name, j) => {
    columns[name] = out.subarray(j * length, (j + 1) * length)
  })
  return { length, symbols: prepared.symbols, columns, copiedToShared, threads }
}

/** Size of the output block in values. */
export function outputSize(prepared: Prepared): number {
  return STATISTIC_COUNT * prepared.symbols.length
}
