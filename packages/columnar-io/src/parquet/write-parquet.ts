import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { ColumnTable, ParquetCompression, WriteParquetOptions } from '../types.ts'
import { CODEC, compressPage, ensureZstd } from './_codec.ts'
import { ENCODING, LAYOUT, PAGE_TYPE, PT } from './_layout.ts'
import { bitWidth, encodeHybrid } from './_rle.ts'
import { T, ThriftWriter } from './_thrift.ts'

const utf8 = new TextEncoder()

interface ChunkMeta {
  type: number
  name: string
  encodings: number[]
  numValues: number
  uncompressed: number
  compressed: number
  dataPageOffset: number
  dictPageOffset: number
  start: number
}

function pageHeader(
  kind: 'data' | 'dict',
  uncompressed: number,
  compressed: number,
  numValues: number,
  encoding: number,
): Uint8Array {
  const w = new ThriftWriter()
  w.i32(1, kind === 'data' ? PAGE_TYPE.DATA_PAGE : PAGE_TYPE.DICTIONARY_PAGE)
  w.i32(2, uncompressed)
  w.i32(3, compressed)
  if (kind === 'data') {
    w.begin(5)
    w.i32(1, numValues)
    w.i32(2, encoding)
    w.i32(3, ENCODING.RLE)
    w.i32(4, ENCODING.RLE)
    w.end()
  } else {
    w.begin(7)
    w.i32(1, numValues)
    w.i32(2, encoding)
    w.end()
  }
  w.end()
  return w.bytes()
}

function validate(options: WriteParquetOptions): Required<Omit<WriteParquetOptions, 'onBytes'>> {
  const compression: ParquetCompression = options.compression ?? 'snappy'
  if (!['none', 'snappy', 'zstd'].includes(compression)) {
    throw new TypeError(
      `Expected \`compression\` to be 'none', 'snappy' or 'zstd', got \`${String(compression)}\` (${typeof compression})`,
    )
  }
  const rowGroupRows = options.rowGroupRows ?? 1 << 20
  if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1 || rowGroupRows > 2 ** 27) {
    throw new TypeError(
      `Expected \`rowGroupRows\` to be an integer from 1 to 2^27, got \`${String(rowGroupRows)}\` (${typeof rowGroupRows})`,
    )
  }
  const zstdLevel = options.zstdLevel ?? 1
  if (!Number.isInteger(zstdLevel) || zstdLevel < 1 || zstdLevel > 22) {
    throw new TypeError(`Expected \`zstdLevel\` to be an integer from 1 to 22, got \`${String(zstdLevel)}\``)
  }
  return { compression, rowGroupRows, zstdLevel }
}

/**
 * Writes a column table as a Parquet file that any reader understands: `symbol` as a dictionary-encoded UTF-8
 * string, `date` as INT32 DATE, prices and volume as DOUBLE, all REQUIRED, PLAIN pages, one page per column per row
 * group. `readParquet` loads such files without decoding (values are copied or decompressed straight into the
 * columns). The file appears atomically (written beside it, then renamed).
 * @param table - the rows to write
 * @param path - the file to create or replace
 * @param options - compression, rows per row group, zstd level
 * @example
 * await writeParquet(table, 'market.parquet', { compression: 'zstd' })
 */
export async function writeParquet(table: ColumnTable, path: string, options: WriteParquetOptions = {}): Promise<void> {
  const { compression, rowGroupRows, zstdLevel } = validate(options)
  if (compression === 'zstd') await ensureZstd()
  const hasOi = table.openInterest !== null
  const cols = LAYOUT.filter((c) => hasOi || c.name !== 'open_interest')
  const group: RowGroupInput = {
    table,
    cols,
    compression,
    zstdLevel,
    dict: plainStrings(table.symbols),
    width: bitWidth(table.symbols.length),
  }
  const tmp = `${path}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w')
  const out = fileWriter(fd, options.onBytes)
  const rowGroups: RowGroupMeta[] = []
  try {
    out.put(utf8.encode('PAR1'), false)
    for (let r0 = 0; r0 < table.length; r0 += rowGroupRows) {
      rowGroups.push(await writeRowGroup(out, group, r0, Math.min(table.length, r0 + rowGroupRows)))
    }
    const footer = fileMetadata(table.length, cols, rowGroups, CODEC[compression])
    const tail = new Uint8Array(footer.length + 8)
    tail.set(footer)
    new DataView(tail.buffer).setUint32(footer.length, footer.length, true)
    tail.set(utf8.encode('PAR1'), footer.length + 4)
    out.put(tail)
    closeSync(fd)
    renameSync(tmp, path)
  } catch (e) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true })
    throw e
  }
}

/** A row group's place in the file: its rows, its column chunks, its first byte. */
interface RowGroupMeta {
  rows: number
  chunks: ChunkMeta[]
  start: number
}

/** What every row group of one file is written from: the table, the columns, the codec, the symbol dictionary. */
interface RowGroupInput {
  table: ColumnTable
  cols: typeof LAYOUT
  compression: ParquetCompression
  zstdLevel: number
  /** The symbols as PLAIN BYTE_ARRAY values (the dictionary page before compression). */
  dict: Uint8Array
  /** Bits per dictionary code. */
  width: number
}

/** Writes at a running offset of `fd`, reporting each write (but the magic) to `onBytes`. */
function fileWriter(
  fd: number,
  onBytes: WriteParquetOptions['onBytes'],
): { put: (bytes: Uint8Array, report?: boolean) => void; readonly offset: number } {
  let offset = 0
  return {
    put(bytes, report = true) {
      if (report) onBytes?.(offset, bytes)
      let done = 0
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done)
      offset += bytes.length
    },
    get offset() {
      return offset
    },
  }
}

/** Strings as PLAIN BYTE_ARRAY values: each a 4-byte little-endian length, then its UTF-8 bytes. */
function plainStrings(strings: readonly string[]): Uint8Array {
  const parts = strings.map((s) => utf8.encode(s))
  const bytes = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0))
  const dv = new DataView(bytes.buffer)
  let o = 0
  for (const p of parts) {
    dv.setUint32(o, p.length, true)
    bytes.set(p, o + 4)
    o += 4 + p.length
  }
  return bytes
}

/** Writes rows `r0`..`r1` as one row group, one page per column (and the symbol column's dictionary page). */
async function writeRowGroup(
  out: ReturnType<typeof fileWriter>,
  group: RowGroupInput,
  r0: number,
  r1: number,
): Promise<RowGroupMeta> {
  const { table, cols, compression, zstdLevel, dict, width } = group
  const rows = r1 - r0
  const chunks: ChunkMeta[] = []
  const groupStart = out.offset
  // Compress every page of the row group first (snappy runs on the thread pool, in parallel), then write.
  const pages = await Promise.all(
    cols.map(async (col) => {
      let body: Uint8Array
      let dictPage: Uint8Array | null = null
      if (col.role === 'symbol') {
        dictPage = await compressPage(compression, dict, zstdLevel)
        const codes = encodeHybrid(table.symbol, r0, r1, width)
        body = new Uint8Array(codes.length + 1)
        body[0] = width
        body.set(codes, 1)
      } else {
        // open_interest is in `cols` only when the table has it.
        const src = col.role === 'date' ? table.date : table[col.key]!
        const view = src.subarray(r0, r1)
        body = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
      }
      return { col, body, packed: await compressPage(compression, body, zstdLevel), dictPage }
    }),
  )
  for (const { col, body, packed, dictPage } of pages) {
    const meta: ChunkMeta = {
      type: col.type,
      name: col.name,
      encodings: [ENCODING.PLAIN, ENCODING.RLE],
      numValues: rows,
      uncompressed: 0,
      compressed: 0,
      dataPageOffset: 0,
      dictPageOffset: -1,
      start: out.offset,
    }
    let encoding: number = ENCODING.PLAIN
    if (dictPage !== null) {
      const h = pageHeader('dict', dict.length, dictPage.length, table.symbols.length, ENCODING.PLAIN)
      meta.dictPageOffset = out.offset
      out.put(h)
      out.put(dictPage)
      meta.uncompressed += h.length + dict.length
      meta.compressed += h.length + dictPage.length
      encoding = ENCODING.RLE_DICTIONARY
      meta.encodings = [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY]
    }
    const h = pageHeader('data', body.length, packed.length, rows, encoding)
    meta.dataPageOffset = out.offset
    out.put(h)
    out.put(packed)
    meta.uncompressed += h.length + body.length
    meta.compressed += h.length + packed.length
    chunks.push(meta)
  }
  return { rows, chunks, start: groupStart }
}

function fileMetadata(numRows: number, cols: typeof LAYOUT, rowGroups: RowGroupMeta[], codec: number): Uint8Array {
  const w = new ThriftWriter()
  w.i32(1, 1)
  w.list(2, T.STRUCT, cols.length + 1)
  w.begin()
  w.binary(4, 'schema')
  w.i32(5, cols.length)
  w.end()
  for (const col of cols) {
    w.begin()
    w.i32(1, col.type)
    w.i32(3, 0)
    w.binary(4, col.name)
    if (col.type === PT.BYTE_ARRAY) {
      w.i32(6, 0)
      w.begin(10)
      w.begin(1)
      w.end()
      w.end()
    } else if (col.type === PT.INT32) {
      w.i32(6, 6)
      w.begin(10)
      w.begin(6)
      w.end()
      w.end()
    }
    w.end()
  }
  w.i64(3, numRows)
  w.list(4, T.STRUCT, rowGroups.length)
  for (const rg of rowGroups) {
    w.begin()
    w.list(1, T.STRUCT, rg.chunks.length)
    let uncompressed = 0
    let compressed = 0
    for (const c of rg.chunks) {
      uncompressed += c.uncompressed
      compressed += c.compressed
      w.begin()
      w.i64(2, c.start)
      w.begin(3)
      w.i32(1, c.type)
      w.list(2, T.I32, c.encodings.length)
      for (const e of c.encodings) w.rawI32(e)
      w.list(3, T.BINARY, 1)
      w.rawBinary(c.name)
      w.i32(4, codec)
      w.i64(5, c.numValues)
      w.i64(6, c.uncompressed)
      w.i64(7, c.compressed)
      w.i64(9, c.dataPageOffset)
      if (c.dictPageOffset >= 0) w.i64(11, c.dictPageOffset)
      w.end()
      w.end()
    }
    w.i64(2, uncompressed)
    w.i64(3, rg.rows)
    w.i64(5, rg.start)
    w.i64(6, compressed)
    w.end()
  }
  w.list(5, T.STRUCT, 1)
  w.begin()
  w.binary(1, 'ttapi.columnar-io')
  w.binary(2, '1')
  w.end()
  w.binary(6, 'ttapi columnar-io')
  w.end()
  return w.bytes()
}
