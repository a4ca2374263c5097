// The fallback decoder of readParquetArrow: hyparquet reads the file, its flat columns become Arrow vectors.
import {
  Binary,
  Bool,
  DateDay,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow'
import { parquetRead, type FileMetaData, type SchemaElement } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

/** Fixed-width Arrow types filled straight from hyparquet's values (numbers or bigints), exact. */
type FixedType = Int8 | Int16 | Int32 | Uint8 | Uint16 | Uint32 | Int64 | Uint64 | Float32 | Float64 | DateDay
type AnyTimestamp = TimestampMillisecond | TimestampMicrosecond | TimestampNanosecond

/** The Arrow type of a flat column, or a reason it is not converted. */
function arrowType(el: SchemaElement): DataType | string {
  const logical = el.logical_type
  const converted = el.converted_type
  switch (el.type) {
    case 'BOOLEAN':
      return new Bool()
    case 'INT32': {
      if (logical?.type === 'DATE' || converted === 'DATE') return new DateDay()
      if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return new Float64()
      const bits =
        logical?.type === 'INTEGER'
          ? logical.bitWidth
          : converted?.match(/\d+$/)
            ? Number(/\d+$/.exec(converted)![0])
            : 32
      const unsigned = logical?.type === 'INTEGER' ? !logical.isSigned : converted?.startsWith('UINT') === true
      if (bits === 8) return unsigned ? new Uint8() : new Int8()
      if (bits === 16) return unsigned ? new Uint16() : new Int16()
      return unsigned ? new Uint32() : new Int32()
    }
    case 'INT64': {
      if (logical?.type === 'TIMESTAMP') {
        const unit = logical.unit
        return unit === 'MILLIS'
          ? new TimestampMillisecond()
          : unit === 'MICROS'
            ? new TimestampMicrosecond()
            : new TimestampNanosecond()
      }
      if (converted === 'TIMESTAMP_MILLIS') return new TimestampMillisecond()
      if (converted === 'TIMESTAMP_MICROS') return new TimestampMicrosecond()
      if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return new Float64()
      const unsigned = logical?.type === 'INTEGER' ? !logical.isSigned : converted === 'UINT_64'
      return unsigned ? new Uint64() : new Int64()
    }
    case 'INT96':
      return new TimestampMicrosecond()
    case 'FLOAT':
      return new Float32()
    case 'DOUBLE':
      return new Float64()
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY': {
      if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return new Float64()
      if (logical?.type === 'FLOAT16') return new Float32()
      const text =
        logical?.type === 'STRING' ||
        logical?.type === 'JSON' ||
        logical?.type === 'ENUM' ||
        converted === 'UTF8' ||
        converted === 'JSON' ||
        converted === 'ENUM'
      return text ? new Utf8() : new Binary()
    }
    default:
      return `type ${String(el.type)} is not supported by the fallback`
  }
}

/**
 * Decodes `bytes` with hyparquet into an Arrow table: flat schemas only (every column a top-level primitive, required
 * or optional); integers, dates and timestamps exact, decimals as Float64. Throws an Error naming the first column it
 * cannot convert.
 * @param bytes - the whole file
 * @param meta - its footer, as hyparquet parsed it
 */
export async function hyparquetToArrow(bytes: Uint8Array, meta: FileMetaData): Promise<Table> {
  const root = meta.schema[0]!
  const leaves = meta.schema.slice(1)
  if (leaves.length !== (root.num_children ?? 0) || leaves.some((el) => (el.num_children ?? 0) > 0))
    throw new Error(`column "${leaves.find((el) => (el.num_children ?? 0) > 0)?.name ?? '?'}" is nested`)
  const types = leaves.map((el) => {
    if (el.repetition_type === 'REPEATED') return `column "${el.name}" is repeated`
    const t = arrowType(el)
    return typeof t === 'string' ? `column "${el.name}": ${t}` : t
  })
  const bad = types.find((t) => typeof t === 'string')
  if (bad !== undefined) throw new Error(bad)

  const n = Number(meta.num_rows)
  const columns = leaves.map(() => new Array<unknown>(n).fill(null))
  const index = new Map(leaves.map((el, i) => [el.name, i]))
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer
  // Raw numbers for dates and timestamps (days and bigint ticks), so nothing is rounded through a JS Date.
  const tick = (v: bigint): bigint => v
  await parquetRead({
    file,
    metadata: meta,
    compressors,
    parsers: {
      dateFromDays: (d: number) => d,
      timestampFromMilliseconds: tick,
      timestampFromMicroseconds: tick,
      timestampFromNanoseconds: (ns: bigint) => ns,
    },
    utf8: false,
    onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
      const out = columns[index.get(columnName)!]!
      const data = columnData as ArrayLike<unknown>
      for (let i = 0; i < rowEnd - rowStart && i < data.length; i++) out[rowStart + i] = data[i] ?? null
    },
  })
  const vectors: Record<string, Vector> = {}
  leaves.forEach((el, i) => {
    vectors[el.name] = toVector(columns[i]!, types[i] as DataType, el.type === 'INT96')
  })
  return new Table(vectors)
}

const utf8 = new TextDecoder()

/** One column's values as an Arrow vector of `type`. */
function toVector(values: unknown[], type: DataType, int96: boolean): Vector {
  const n = values.length
  if (type instanceof Utf8)
    return vectorFromArray(
      values.map((v) => (v instanceof Uint8Array ? utf8.decode(v) : (v as string | null))),
      type,
    )
  if (type instanceof Binary || type instanceof Bool) return vectorFromArray(values as never[], type)
  const valid = new Uint8Array((n + 7) >> 3)
  let nulls = 0
  const t = type as FixedType | AnyTimestamp
  const data = new t.ArrayType(n) as Float64Array | BigInt64Array
  const wide = data instanceof BigInt64Array || data instanceof BigUint64Array
  for (let r = 0; r < n; r++) {
    let v = values[r]
    if (v === null || v === undefined) {
      nulls++
      continue
    }
    // INT96 arrive as nanoseconds; the column is microseconds, as the parquet-wasm path gives it.
    if (int96) v = (v as bigint) / 1000n
    if (wide) (data as BigInt64Array)[r] = typeof v === 'bigint' ? v : BigInt(v as number)
    else data[r] = typeof v === 'bigint' ? Number(v) : (v as number)
    valid[r >> 3]! |= 1 << (r & 7)
  }
  return makeVector(
    makeData({ type: t, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? valid : null, data } as never),
  )
}
