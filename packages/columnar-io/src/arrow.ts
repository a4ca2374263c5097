import {
  DataType,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  makeData,
  makeVector,
  Table,
  Utf8,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow'
import { SymbolDictionary } from './_symbol-dictionary.ts'
import { isSharedTable, toSharedTable } from './column-table.ts'
import { ArrowTableError } from './errors.ts'
import type { ArrowColumnTable, ColumnTable, FromArrowTableOptions } from './types.ts'

function float64Vector(values: Float64Array, length: number): Vector<Float64> {
  return makeVector(makeData({ type: new Float64(), data: values.subarray(0, length), length, nullCount: 0 }))
}

/**
 * The table as an Apache Arrow table without copying: each Arrow vector wraps the column's own buffer (symbol as
 * `Dictionary<Utf8, Int32>`, date as `DateDay`, prices and volume as `Float64`). Writes to either side show in both.
 *
 * @param table - The column table.
 * @example
 * const arrow = toArrowTable(syntheticMarket({ symbols: 2, days: 5 }))
 * arrow.getChild('close')!.data[0]!.values.buffer === table.close.buffer // true
 */
export function toArrowTable(table: ColumnTable): ArrowColumnTable {
  const n = table.length
  const dictionary = vectorFromArray(table.symbols, new Utf8())
  const symbol = makeVector(
    makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      data: table.symbol.subarray(0, n),
      length: n,
      nullCount: 0,
      dictionary,
    }),
  )
  const date = makeVector(makeData({ type: new DateDay(), data: table.date.subarray(0, n), length: n, nullCount: 0 }))
  const columns = {
    symbol,
    date,
    open: float64Vector(table.open, n),
    high: float64Vector(table.high, n),
    low: float64Vector(table.low, n),
    close: float64Vector(table.close, n),
    volume: float64Vector(table.volume, n),
    ...(table.openInterest === null ? {} : { openInterest: float64Vector(table.openInterest, n) }),
  }
  return new Table(columns) as ArrowColumnTable
}

const ALIASES: Record<string, string> = { open_interest: 'openinterest', oi: 'openinterest', ticker: 'symbol' }

function findColumns(table: Table): Map<string, Vector> {
  const out = new Map<string, Vector>()
  table.schema.fields.forEach((field, i) => {
    const lower = field.name.toLowerCase()
    const key = ALIASES[lower] ?? lower
    const vector = table.getChildAt(i)
    if (vector !== null && !out.has(key)) out.set(key, vector)
  })
  return out
}

const DAY_MS = 86_400_000

/** Arrow's own rendering of a type, e.g. `Dictionary<Int32, Utf8>`. */
const typeName = (type: DataType): string => (type as { toString(): string }).toString()

/** A value of a numeric Arrow cell as a JS number (null → NaN, bigint → number). */
function toNumber(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.getTime()
  return Number(value)
}

function singleChunk(vector: Vector): Data | null {
  const chunk = vector.data.length === 1 ? vector.data[0]! : null
  return chunk !== null && chunk.nullCount === 0 ? chunk : null
}

function floatColumn(vector: Vector, name: string, n: number): Float64Array {
  const chunk = singleChunk(vector)
  if (chunk !== null && DataType.isFloat(vector.type) && chunk.values instanceof Float64Array) {
    return chunk.values.subarray(0, n)
  }
  if (!DataType.isFloat(vector.type) && !DataType.isInt(vector.type) && !DataType.isDecimal(vector.type)) {
    throw new ArrowTableError(
      `arrow: column \`${name}\` has type ${typeName(vector.type as DataType)}, expected a number`,
      name,
    )
  }
  const out = new Float64Array(n)
  let i = 0
  for (const value of vector) out[i++] = toNumber(value)
  return out
}

function dateColumn(vector: Vector, n: number): Int32Array {
  const chunk = singleChunk(vector)
  const type: DataType = vector.type as DataType
  if (chunk !== null && (DataType.isInt(type) || (DataType.isDate(type) && type.typeId === new DateDay().typeId))) {
    if (chunk.values instanceof Int32Array) return chunk.values.subarray(0, n)
  }
  const out = new Int32Array(n)
  let i = 0
  if (DataType.isDate(type) || DataType.isTimestamp(type)) {
    // Arrow hands dates and timestamps out as epoch milliseconds whatever their unit.
    for (const value of vector) out[i++] = Math.floor(toNumber(value) / DAY_MS)
  } else if (DataType.isInt(type) || DataType.isFloat(type)) {
    for (const value of vector) out[i++] = Math.floor(toNumber(value))
  } else {
    throw new ArrowTableError(
      `arrow: column \`date\` has type ${typeName(type)}, expected a date or days since 1970-01-01`,
      'date',
    )
  }
  return out
}

function symbolColumn(vector: Vector, n: number): { codes: Int32Array; symbols: string[] } {
  const type: DataType = vector.type as DataType
  if (DataType.isDictionary(type)) {
    const chunk = singleChunk(vector)
    const dictionary = chunk?.dictionary
    if (
      chunk !== null &&
      dictionary !== undefined &&
      chunk.values instanceof Int32Array &&
      DataType.isUtf8(dictionary.type)
    ) {
      return { codes: chunk.values.subarray(0, n), symbols: (dictionary.toArray() as string[]).map(String) }
    }
  } else if (!DataType.isUtf8(type) && !DataType.isLargeUtf8(type)) {
    throw new ArrowTableError(`arrow: column \`symbol\` has type ${typeName(type)}, expected strings`, 'symbol')
  }
  const dict = new SymbolDictionary()
  const codes = new Int32Array(n)
  let i = 0
  for (const value of vector) codes[i++] = dict.code(value === null || value === undefined ? '' : String(value))
  return { codes, symbols: dict.names }
}

/**
 * A column table from an Arrow table with columns symbol (dictionary or strings), date (DateDay, a date or timestamp
 * type, or integer days), open, high, low, close, volume and optionally openInterest (names case-insensitive). A
 * column that is one null-free chunk of the table's own layout (Int32 codes, DateDay/Int32, Float64) is used without
 * copying; other columns are converted, nulls becoming NaN.
 *
 * @param table - The Arrow table, e.g. from `toArrowTable` or a Parquet/IPC reader.
 * @param options - A symbol for tables without a symbol column; shared buffers.
 * @throws {@link ArrowTableError} when a required column is missing or not numeric.
 */
export function fromArrowTable(table: Table, options: FromArrowTableOptions = {}): ColumnTable {
  const n = table.numRows
  const columns = findColumns(table)
  const need = (name: string): Vector => {
    const v = columns.get(name)
    if (v === undefined) {
      const have = table.schema.fields.map((f) => f.name).join(', ')
      throw new ArrowTableError(`arrow: table has no \`${name}\` column (columns: ${have})`, name)
    }
    return v
  }
  const symbolVector = columns.get('symbol')
  let symbol: { codes: Int32Array; symbols: string[] }
  if (symbolVector !== undefined) symbol = symbolColumn(symbolVector, n)
  else if (options.symbol !== undefined) symbol = { codes: new Int32Array(n), symbols: [options.symbol] }
  else need('symbol')
  const oi = columns.get('openinterest')
  const out: ColumnTable = {
    length: n,
    symbols: symbol!.symbols,
    symbol: symbol!.codes,
    date: dateColumn(need('date'), n),
    open: floatColumn(need('open'), 'open', n),
    high: floatColumn(need('high'), 'high', n),
    low: floatColumn(need('low'), 'low', n),
    close: floatColumn(need('close'), 'close', n),
    volume: floatColumn(need('volume'), 'volume', n),
    openInterest: oi === undefined ? null : floatColumn(oi, 'openInterest', n),
  }
  return options.shared === true && !isSharedTable(out) ? toSharedTable(out) : out
}
