import { readFile } from 'node:fs/promises'
import { makeData, makeVector, Table, tableFromIPC, TimestampMicrosecond, type Vector } from 'apache-arrow'
import { parquetMetadata, parquetRead, type FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { readParquet as wasmReadParquet } from 'parquet-wasm/node'
import { ColumnarIoError, ParquetBudgetError, ParquetReadError } from '../errors.ts'
import type { ParquetArrowDecoder, ReadParquetArrowOptions, ReadParquetArrowResult } from '../types.ts'
import { hyparquetToArrow } from './_hyparquet-arrow.ts'

/** Default of `maxDecodedBytes`: 1 GiB of declared uncompressed column data. */
export const DEFAULT_MAX_DECODED_BYTES: number = 2 ** 30

/** arrow-rs in 32-bit WASM sizes a column chunk's buffers with 32-bit lengths: a larger chunk goes to hyparquet. */
const WASM_MAX_CHUNK_BYTES = 2 ** 31 - 1

/**
 * Reads any Parquet file into an Apache Arrow table with the file's own schema (nested lists, maps and structs,
 * decimals, timestamps, every standard codec). Decoding is arrow-rs compiled to WASM (parquet-wasm); the footer is
 * checked with hyparquet first so a damaged file fails with a clear message, and its declared uncompressed sizes are
 * held to `maxDecodedBytes` before anything is decoded. A valid file arrow-rs rejects (e.g. a column chunk whose
 * dictionary page offset is 0, as older writers write) is decoded by hyparquet instead when its columns are flat;
 * `decoder` says which one ran. INT96 timestamps, which arrow-rs turns into nanoseconds that overflow past the year
 * 2262, are decoded by hyparquet into exact microsecond timestamps.
 * A file that is not Parquet or is corrupt rejects with `ParquetReadError` naming the file and the problem; one over
 * the budget with `ParquetBudgetError` naming the column, its declared size and the budget.
 * @param path - the Parquet file
 * @param options - the memory budget
 * @example
 * const { table, decoder } = await readParquetArrow('data/alltypes_plain.parquet')
 * table.getChild('id')?.toArray()
 */
export async function readParquetArrow(
  path: string,
  options: ReadParquetArrowOptions = {},
): Promise<ReadParquetArrowResult> {
  const budget = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES
  if (!Number.isSafeInteger(budget) || budget < 1)
    throw new ColumnarIoError(
      'COLUMNAR_INVALID_OPTION',
      `parquet: expected \`maxDecodedBytes\` to be a positive integer, got \`${String(budget)}\` (${typeof budget})`,
    )
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (cause) {
    throw new ParquetReadError(`parquet: cannot read ${path}: ${(cause as Error).message}`, path, { cause })
  }
  if (bytes.length < 12) throw new ParquetReadError(`parquet: ${path} is too short to be Parquet`, path)
  const tail = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 8)
  if (tail.getUint32(4, true) !== 0x31524150) {
    throw new ParquetReadError(`parquet: ${path} is not a Parquet file (no PAR1 magic at its end)`, path)
  }
  let meta: FileMetaData
  try {
    meta = parquetMetadata(bytes)
  } catch (cause) {
    throw new ParquetReadError(`parquet: ${path} has corrupt metadata (${(cause as Error).message})`, path, { cause })
  }
  const largestChunk = checkDeclaredSizes(path, meta, budget)

  let table: Table
  let decoder: ParquetArrowDecoder = 'parquet-wasm'
  let fallbackReason: string | undefined
  try {
    if (largestChunk.bytes > WASM_MAX_CHUNK_BYTES)
      throw new Error(
        `column "${largestChunk.column}" has a ${largestChunk.bytes}-byte chunk, over arrow-rs's ${WASM_MAX_CHUNK_BYTES}-byte WASM limit`,
      )
    table = tableFromIPC(wasmReadParquet(bytes).intoIPCStream())
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause)
    try {
      table = await hyparquetToArrow(bytes, meta)
    } catch (fallback) {
      const why = fallback instanceof Error ? fallback.message : String(fallback)
      throw new ParquetReadError(`parquet: ${path} could not be decoded: ${msg} (hyparquet: ${why})`, path, { cause })
    }
    decoder = 'hyparquet'
    fallbackReason = msg
  }
  if (decoder === 'parquet-wasm') {
    const int96 = meta.schema.slice(1).filter((el) => el.type === 'INT96' && (el.num_children ?? 0) === 0)
    for (const el of int96) {
      if (table.getChild(el.name) === null) continue
      const vec = await int96Micros(bytes, meta, el.name)
      // assign() replaces the same-named column in place and re-chunks to match the other columns' batches.
      table = table.assign(new Table({ [el.name]: vec }))
    }
  }
  return fallbackReason === undefined ? { table, decoder } : { table, decoder, fallbackReason }
}

/**
 * Holds the footer's declared uncompressed sizes to `budget` before anything is decoded. Returns the largest single
 * column chunk. Throws `ParquetBudgetError` naming the column that declares the most, or `ParquetReadError` for a
 * negative size.
 */
function checkDeclaredSizes(path: string, meta: FileMetaData, budget: number): { column: string; bytes: number } {
  const perColumn = new Map<string, number>()
  let total = 0
  let largest = { column: '', bytes: 0 }
  for (const rg of meta.row_groups)
    for (const chunk of rg.columns) {
      const m = chunk.meta_data
      if (m === undefined) continue
      const column = m.path_in_schema.join('.')
      const bytes = Number(m.total_uncompressed_size)
      if (!(bytes >= 0))
        throw new ParquetReadError(
          `parquet: ${path} has corrupt metadata (column "${column}" declares ${String(m.total_uncompressed_size)} uncompressed bytes)`,
          path,
        )
      perColumn.set(column, (perColumn.get(column) ?? 0) + bytes)
      total += bytes
      if (bytes > largest.bytes) largest = { column, bytes }
    }
  if (total <= budget) return largest
  let column = ''
  let declared = -1
  for (const [c, b] of perColumn) if (b > declared) [column, declared] = [c, b]
  throw new ParquetBudgetError(
    `parquet: ${path} column "${column}" declares ${declared.toLocaleString('en-US')} bytes uncompressed ` +
      `(${total.toLocaleString('en-US')} in all columns), over the memory budget of ${budget.toLocaleString('en-US')} bytes ` +
      `(option maxDecodedBytes); not decoded`,
    path,
    column,
    declared,
    budget,
  )
}

/** One INT96 column as microsecond timestamps (exact, any year), via hyparquet. */
async function int96Micros(bytes: Uint8Array, meta: FileMetaData, name: string): Promise<Vector<TimestampMicrosecond>> {
  const n = Number(meta.num_rows)
  const values = new BigInt64Array(n)
  const valid = new Uint8Array((n + 7) >> 3)
  let nulls = 0
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer
  await parquetRead({
    file,
    metadata: meta,
    compressors,
    columns: [name],
    parsers: { timestampFromNanoseconds: (ns: bigint) => ns / 1000n },
    onChunk: ({ columnData, rowStart, rowEnd }) => {
      const data = columnData as ArrayLike<unknown>
      for (let i = 0; i < rowEnd - rowStart && i < data.length; i++) {
        const v = data[i]
        const r = rowStart + i
        if (typeof v === 'bigint') {
          values[r] = v
          valid[r >> 3]! |= 1 << (r & 7)
        } else nulls++
      }
    },
  })
  return makeVector(
    makeData({ type: new TimestampMicrosecond(), length: n, nullCount: nulls, nullBitmap: valid, data: values }),
  )
}
