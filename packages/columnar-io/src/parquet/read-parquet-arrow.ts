import { readFile } from 'node:fs/promises'
import { makeData, makeVector, Table, tableFromIPC, TimestampMicrosecond, type Vector } from 'apache-arrow'
import { parquetMetadata, parquetRead, type FileMetaData } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { readParquet as wasmReadParquet } from 'parquet-wasm/node'
import { ParquetReadError } from '../errors.ts'

/**
 * Reads any Parquet file into an Apache Arrow table with the file's own schema (nested lists, maps and structs,
 * decimals, timestamps, every standard codec). Decoding is arrow-rs compiled to WASM (parquet-wasm); the footer is
 * checked with hyparquet first so a damaged file fails with a clear message. INT96 timestamps, which arrow-rs turns
 * into nanoseconds that overflow past the year 2262, are decoded by hyparquet into exact microsecond timestamps.
 * A file that is not Parquet or is corrupt rejects with `ParquetReadError` naming the file and the problem.
 * @param path - the Parquet file
 * @example
 * const table = await readParquetArrow('data/alltypes_plain.parquet')
 * table.getChild('id')?.toArray()
 */
export async function readParquetArrow(path: string): Promise<Table> {
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
  let table: Table
  try {
    table = tableFromIPC(wasmReadParquet(bytes).intoIPCStream())
  } catch (cause) {
    const msg = cause instanceof Error ? cause.message : String(cause)
    throw new ParquetReadError(`parquet: ${path} could not be decoded: ${msg}`, path, { cause })
  }
  const int96 = meta.schema.slice(1).filter((el) => el.type === 'INT96' && (el.num_children ?? 0) === 0)
  for (const el of int96) {
    if (table.getChild(el.name) === null) continue
    const vec = await int96Micros(bytes, meta, el.name)
    // assign() replaces the same-named column in place and re-chunks to match the other columns' batches.
    table = table.assign(new Table({ [el.name]: vec }))
  }
  return table
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
