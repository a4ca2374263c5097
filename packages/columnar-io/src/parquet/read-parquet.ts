import { open, type FileHandle } from 'node:fs/promises'
import type { Encoding, FileMetaData, PageType } from 'hyparquet'
import { daysFromCivil } from '../_calendar.ts'
import { NAMES, ROLE } from '../_column-roles.ts'
import { SymbolDictionary } from '../_symbol-dictionary.ts'
import { symbolFromPath } from '../_symbol-from-path.ts'
import { ParquetReadError } from '../errors.ts'
import type { ColumnTable, ReadParquetOptions } from '../types.ts'
import { decompressInto, ensureZstd } from './_codec.ts'
import { ENCODING, FAST_DOUBLES, LAYOUT, type NumericKey } from './_layout.ts'
import { decodeHybrid } from './_rle.ts'

/**
 * hyparquet and its thrift reader: loaded by the first read, not when the package is imported. The compressors of
 * the general reader load only when a file needs it (the fast path decompresses with `_codec.ts`).
 */
interface Hyparquet {
  parquetMetadata: typeof import('hyparquet').parquetMetadata
  parquetRead: typeof import('hyparquet').parquetRead
  asyncBufferFromFile: typeof import('hyparquet').asyncBufferFromFile
  parquetHeader: typeof import('hyparquet/src/column.js').parquetHeader
}
let hyparquetLib: Promise<Hyparquet> | null = null
let hp: Hyparquet

/**
 * Loads the libraries `readParquet` needs now instead of on its first call (~25 ms in a fresh process): for a program
 * that knows it will read Parquet and wants the cost outside a timed section. Never needed for correctness.
 */
export async function preloadParquetReader(): Promise<void> {
  await loadHyparquet()
}

function loadHyparquet(): Promise<Hyparquet> {
  hyparquetLib ??= Promise.all([import('hyparquet'), import('hyparquet/src/column.js')]).then(
    ([read, column]) => (hp = { ...read, parquetHeader: column.parquetHeader }),
  )
  return hyparquetLib
}

/** Thrown inside the fast path when a file uses something only the general reader handles. */
class NotFastPath extends Error {}

/** A column of the fast path: its index in each row group and where its values go. */
type FastColumn =
  { index: number; kind: 'symbol' } | { index: number; kind: 'date' } | { index: number; kind: 'f64'; key: NumericKey }

/** The layout's symbol and date columns (name and physical type), as the fast path expects them. */
const SYMBOL = LAYOUT.find((c) => c.role === 'symbol')!
const DATE = LAYOUT.find((c) => c.role === 'date')!

/** Reads the footer of an open file and parses it with hyparquet. */
async function readFooter(
  fh: FileHandle,
  file: string,
  onBytes: ReadParquetOptions['onBytes'],
): Promise<{ meta: FileMetaData; size: number }> {
  const size = (await fh.stat()).size
  if (size < 12) throw new ParquetReadError(`parquet: ${file} is too short to be Parquet (${size} bytes)`, file)
  let tailLen = Math.min(size, 1 << 16)
  let tail = new Uint8Array(tailLen)
  await fh.read(tail, 0, tailLen, size - tailLen)
  const dv = new DataView(tail.buffer)
  if (dv.getUint32(tailLen - 4, true) !== 0x31524150) {
    throw new ParquetReadError(`parquet: ${file} is not a Parquet file (no PAR1 magic at its end)`, file)
  }
  const metaLen = dv.getUint32(tailLen - 8, true)
  if (metaLen + 12 > size) {
    throw new ParquetReadError(`parquet: ${file} metadata length ${metaLen} exceeds the file size ${size}`, file)
  }
  if (metaLen + 8 > tailLen) {
    tailLen = metaLen + 8
    tail = new Uint8Array(tailLen)
    await fh.read(tail, 0, tailLen, size - tailLen)
  }
  onBytes?.(size - metaLen - 8, tail.subarray(tailLen - metaLen - 8))
  try {
    return { meta: hp.parquetMetadata(tail), size }
  } catch (cause) {
    throw new ParquetReadError(`parquet: ${file} has corrupt metadata (${(cause as Error).message})`, file, { cause })
  }
}

/** The fast-path plan when the file has the column-table layout (all REQUIRED, flat), else null. */
function fastPlan(meta: FileMetaData): FastColumn[] | null {
  const root = meta.schema[0]
  if (root === undefined || meta.schema.length !== (root.num_children ?? 0) + 1) return null
  const cols: FastColumn[] = []
  const seen = new Set<string>()
  meta.schema.slice(1).forEach((el, index) => {
    if (el.repetition_type !== 'REQUIRED' || (el.num_children ?? 0) > 0) return
    const key = FAST_DOUBLES[el.name]
    if (el.name === SYMBOL.name && el.type === SYMBOL.typeName) cols.push({ index, kind: 'symbol' })
    else if (el.name === DATE.name && el.type === DATE.typeName) cols.push({ index, kind: 'date' })
    else if (el.type === 'DOUBLE' && key !== undefined) cols.push({ index, kind: 'f64', key })
    else return
    seen.add(el.name)
  })
  for (const need of ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume']) if (!seen.has(need)) return null
  return cols
}

function allocTable(n: number, oi: boolean, shared: boolean, into: ColumnTable | undefined): ColumnTable {
  const fits = (a: { length: number } | null | undefined): boolean => a !== null && a !== undefined && a.length >= n
  if (
    into !== undefined &&
    fits(into.symbol) &&
    fits(into.date) &&
    fits(into.open) &&
    fits(into.high) &&
    fits(into.low) &&
    fits(into.close) &&
    fits(into.volume) &&
    (!oi || fits(into.openInterest))
  ) {
    return {
      length: n,
      symbols: [],
      symbol: into.symbol.subarray(0, n),
      date: into.date.subarray(0, n),
      open: into.open.subarray(0, n),
      high: into.high.subarray(0, n),
      low: into.low.subarray(0, n),
      close: into.close.subarray(0, n),
      volume: into.volume.subarray(0, n),
      openInterest: oi ? into.openInterest!.subarray(0, n) : null,
    }
  }
  const f64 = (): Float64Array => (shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n))
  const i32 = (): Int32Array => (shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n))
  return {
    length: n,
    symbols: [],
    symbol: i32(),
    date: i32(),
    open: f64(),
    high: f64(),
    low: f64(),
    close: f64(),
    volume: f64(),
    openInterest: oi ? f64() : null,
  }
}

/** The fields of a data or dictionary page header the fast path uses, decoded once by hyparquet's `parquetHeader`. */
interface PageHeader {
  /** DATA_PAGE or DICTIONARY_PAGE (the fast path reads no other). */
  type: PageType
  /** Page bytes after decompression. */
  uncompressedPageSize: number
  /** Page bytes as stored. */
  compressedPageSize: number
  /** Values in the page (dictionary entries for a dictionary page). */
  numValues: number
  /** The values' encoding. */
  encoding: Encoding
  /** Bytes of the header itself; the page follows it. */
  headerLength: number
}

/** Whether `encoding` is one of `names` (the encodings of `_layout.ts`). */
const isEncoding = (encoding: Encoding, ...names: (keyof typeof ENCODING)[]): boolean =>
  (names as string[]).includes(encoding)

async function readPageHeader(
  fh: FileHandle,
  pos: number,
  limit: number,
  onBytes: ReadParquetOptions['onBytes'],
): Promise<PageHeader> {
  for (let want = 256; ; want *= 4) {
    const len = Math.min(want, limit - pos)
    const buf = new Uint8Array(len)
    await fh.read(buf, 0, len, pos)
    const reader = { view: new DataView(buf.buffer), offset: 0 }
    let h: ReturnType<Hyparquet['parquetHeader']>
    try {
      h = hp.parquetHeader(reader)
    } catch (e) {
      if (len < limit - pos) continue
      throw new Error(`unreadable page header at offset ${pos} (${(e as Error).message})`)
    }
    onBytes?.(pos, buf.subarray(0, reader.offset))
    const sub =
      h.type === 'DATA_PAGE' ? h.data_page_header : h.type === 'DICTIONARY_PAGE' ? h.dictionary_page_header : undefined
    if (sub === undefined) throw new NotFastPath(`page type ${h.type}`)
    return {
      type: h.type,
      uncompressedPageSize: h.uncompressed_page_size,
      compressedPageSize: h.compressed_page_size,
      numValues: sub.num_values,
      encoding: sub.encoding,
      headerLength: reader.offset,
    }
  }
}

const utf8 = new TextDecoder()

/** Loads one column chunk straight into its table column. */
async function loadChunk(
  fh: FileHandle,
  file: string,
  col: FastColumn,
  chunk: { codec: string; start: number; end: number; rows: number },
  rowStart: number,
  out: ColumnTable,
  symbols: SymbolDictionary,
  onBytes: ReadParquetOptions['onBytes'],
): Promise<void> {
  let pos = chunk.start
  let row = rowStart
  let map = new Int32Array(0)
  // Compressed pages are read into one buffer per chunk, taken from (and given back to) a small free list.
  let scratch = freeScratch.pop() ?? new Uint8Array(0)
  const codec = chunk.codec
  if (codec !== 'UNCOMPRESSED' && codec !== 'SNAPPY' && codec !== 'ZSTD') throw new NotFastPath(codec)
  if (codec === 'ZSTD') await ensureZstd()
  const payload = async (h: PageHeader, into: Uint8Array): Promise<void> => {
    if (h.uncompressedPageSize !== into.length) {
      throw new Error(`page at offset ${pos} holds ${h.uncompressedPageSize} bytes, expected ${into.length}`)
    }
    const at = pos + h.headerLength
    if (at + h.compressedPageSize > chunk.end) throw new Error(`page at offset ${pos} runs past its column chunk`)
    if (codec === 'UNCOMPRESSED') {
      if (h.compressedPageSize !== into.length) throw new Error(`page at offset ${pos} has inconsistent sizes`)
      const { bytesRead } = await fh.read(into, 0, into.length, at)
      if (bytesRead !== into.length) throw new Error(`page at offset ${pos} is truncated`)
      onBytes?.(at, into)
      return
    }
    const stored = h.compressedPageSize
    if (scratch.length < stored) scratch = new Uint8Array(stored)
    const src = scratch.subarray(0, stored)
    const { bytesRead } = await fh.read(src, 0, stored, at)
    if (bytesRead !== stored) throw new Error(`page at offset ${pos} is truncated`)
    onBytes?.(at, src)
    await decompressInto(codec, src, into)
  }
  try {
    await loadPages()
  } finally {
    if (freeScratch.length < 16) freeScratch.push(scratch)
  }
  async function loadPages(): Promise<void> {
    while (row < rowStart + chunk.rows) {
      if (pos >= chunk.end) throw new Error(`column chunk ends after ${row - rowStart} of ${chunk.rows} values`)
      const h = await readPageHeader(fh, pos, chunk.end, onBytes)
      if (h.type === 'DICTIONARY_PAGE') {
        if (col.kind !== 'symbol' || !isEncoding(h.encoding, 'PLAIN', 'PLAIN_DICTIONARY')) {
          throw new NotFastPath('dictionary')
        }
        const dict = new Uint8Array(h.uncompressedPageSize)
        await payload(h, dict)
        map = dictionaryCodes(dict, h.numValues, pos, symbols)
      } else {
        const n = h.numValues
        if (row + n > rowStart + chunk.rows) throw new Error(`page at offset ${pos} has more values than its row group`)
        if (col.kind === 'symbol') {
          if (!isEncoding(h.encoding, 'RLE_DICTIONARY', 'PLAIN_DICTIONARY')) throw new NotFastPath('symbol encoding')
          const body = new Uint8Array(h.uncompressedPageSize)
          await payload(h, body)
          decodeHybrid(body, 1, body.length, body[0]!, n, out.symbol, row, map)
        } else {
          if (!isEncoding(h.encoding, 'PLAIN')) throw new NotFastPath('encoding')
          const arr = col.kind === 'date' ? out.date : out[col.key]!
          const width = col.kind === 'date' ? 4 : 8
          await payload(h, new Uint8Array(arr.buffer, arr.byteOffset + row * width, n * width))
        }
        row += n
      }
      pos += h.headerLength + h.compressedPageSize
    }
  }
}

const freeScratch: Uint8Array[] = []

/** The table's symbol code of each value of a PLAIN dictionary page (the page at `pos`, for the error). */
function dictionaryCodes(
  dict: Uint8Array,
  numValues: number,
  pos: number,
  symbols: SymbolDictionary,
): Int32Array<ArrayBuffer> {
  const map = new Int32Array(numValues)
  const dv = new DataView(dict.buffer, dict.byteOffset, dict.byteLength)
  let o = 0
  for (let k = 0; k < numValues; k++) {
    if (o + 4 > dict.length) throw new Error(`dictionary page at offset ${pos} is truncated`)
    const len = dv.getUint32(o, true)
    if (o + 4 + len > dict.length) throw new Error(`dictionary page at offset ${pos} is truncated`)
    map[k] = symbols.code(utf8.decode(dict.subarray(o + 4, o + 4 + len)))
    o += 4 + len
  }
  return map
}

/**
 * Loads a Parquet file into a column table. Files with the column-table layout (as `writeParquet` writes them:
 * flat, REQUIRED `symbol` string, `date` INT32, DOUBLE prices, PLAIN or dictionary pages, uncompressed, snappy or
 * zstd) take the fast path: values are read or decompressed straight into the columns, no per-value decoding. Any
 * other file goes through hyparquet, its columns matched by name (Date/Symbol/Ticker/Open/.../Close/Volume, any
 * case). A file that is not Parquet, or is corrupt, rejects with `ParquetReadError` naming the file and the problem.
 * @param path - the Parquet file
 * @param options - a preallocated table to load into, shared memory
 * @example
 * const table = await readParquet('market.parquet')
 */
export async function readParquet(path: string, options: ReadParquetOptions = {}): Promise<ColumnTable> {
  await loadHyparquet()
  let fh: FileHandle
  try {
    fh = await open(path, 'r')
  } catch (cause) {
    throw new ParquetReadError(`parquet: cannot open ${path}: ${(cause as Error).message}`, path, { cause })
  }
  try {
    const { meta, size } = await readFooter(fh, path, options.onBytes)
    const plan = fastPlan(meta)
    if (plan !== null) {
      try {
        return await fastRead(fh, path, meta, plan, size, options)
      } catch (e) {
        if (!(e instanceof NotFastPath)) {
          if (e instanceof ParquetReadError) throw e
          throw new ParquetReadError(`parquet: ${path} is corrupt: ${(e as Error).message}`, path, { cause: e })
        }
      }
    }
    return await genericRead(path, meta, options)
  } finally {
    await fh.close()
  }
}

async function fastRead(
  fh: FileHandle,
  file: string,
  meta: FileMetaData,
  plan: FastColumn[],
  size: number,
  options: ReadParquetOptions,
): Promise<ColumnTable> {
  const n = Number(meta.num_rows)
  const oi = plan.some((c) => c.kind === 'f64' && c.key === 'openInterest')
  const out = allocTable(n, oi, options.shared === true, options.into)
  const symbols = new SymbolDictionary(out.symbols)
  const jobs: Promise<void>[] = []
  let rowStart = 0
  for (const rg of meta.row_groups) {
    const rows = Number(rg.num_rows)
    if (rowStart + rows > n) throw new Error(`row groups hold more rows than the ${n} in the footer`)
    for (const col of plan) {
      const md = rg.columns[col.index]?.meta_data
      if (md === undefined) throw new NotFastPath('no column metadata')
      const start = Number(md.dictionary_page_offset ?? md.data_page_offset)
      const end = start + Number(md.total_compressed_size)
      if (start < 4 || end > size) throw new Error(`column chunk ${col.kind} [${start}, ${end}) lies outside the file`)
      const range = { codec: md.codec, start, end, rows }
      jobs.push(loadChunk(fh, file, col, range, rowStart, out, symbols, options.onBytes))
    }
    rowStart += rows
  }
  if (rowStart !== n) throw new Error(`row groups hold ${rowStart} rows, the footer says ${n}`)
  // Dictionary pages are read before their data pages within a chunk, so symbol codes of later row groups may
  // reference names that an earlier-started chunk registers: all of them finish before the table is used.
  await Promise.all(jobs)
  return out
}

const DAY_MS = 86_400_000

function toDays(v: unknown): number {
  if (v instanceof Date) return Math.floor(v.getTime() / DAY_MS)
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'string') {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(v)
    if (m !== null) return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]))
  }
  return NaN
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v === null || v === undefined) return NaN
  return Number(v)
}

async function genericRead(file: string, meta: FileMetaData, options: ReadParquetOptions): Promise<ColumnTable> {
  const roleOf = new Map<string, number>()
  const used = new Set<number>()
  for (const el of meta.schema.slice(1)) {
    const role = NAMES[el.name.toLowerCase().replace(/[\s_.-]/g, '')]
    if (role !== undefined && !used.has(role) && (el.num_children ?? 0) === 0) {
      roleOf.set(el.name, role)
      used.add(role)
    }
  }
  if (!used.has(ROLE.date) || !used.has(ROLE.close)) {
    throw new ParquetReadError(
      `parquet: ${file} has no date and close columns (columns: ${meta.schema
        .slice(1)
        .map((e) => e.name)
        .join(', ')}); readParquetArrow reads any Parquet file`,
      file,
    )
  }
  const n = Number(meta.num_rows)
  const out = allocTable(n, used.has(ROLE.openInterest), options.shared === true, options.into)
  for (const role of [ROLE.open, ROLE.high, ROLE.low, ROLE.volume]) {
    if (!used.has(role)) (out[KEYS[role]!] as Float64Array).fill(NaN)
  }
  const symbols = new SymbolDictionary(out.symbols)
  if (!used.has(ROLE.symbol)) symbols.code(symbolFromPath(file).replace(/\.parquet$/i, ''))
  try {
    await hp.parquetRead({
      file: await hp.asyncBufferFromFile(file),
      metadata: meta,
      compressors: (await import('hyparquet-compressors')).compressors,
      columns: [...roleOf.keys()],
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        const role = roleOf.get(columnName)
        if (role === undefined) return
        const data = columnData as ArrayLike<unknown>
        const count = Math.min(rowEnd - rowStart, data.length)
        if (role === ROLE.symbol) {
          for (let i = 0; i < count; i++) {
            out.symbol[rowStart + i] = symbols.code(String(data[i]))
          }
        } else if (role === ROLE.date) {
          for (let i = 0; i < count; i++) out.date[rowStart + i] = toDays(data[i])
        } else {
          const col = out[KEYS[role]!]
          if (col !== null) for (let i = 0; i < count; i++) col[rowStart + i] = toNumber(data[i])
        }
      },
    })
  } catch (cause) {
    throw new ParquetReadError(`parquet: ${file} could not be decoded: ${(cause as Error).message}`, file, { cause })
  }
  return out
}

/** The table column of each numeric role (the general reader matches columns by name to roles). */
const KEYS: Record<number, NumericKey> = {
  [ROLE.open]: 'open',
  [ROLE.high]: 'high',
  [ROLE.low]: 'low',
  [ROLE.close]: 'close',
  [ROLE.volume]: 'volume',
  [ROLE.openInterest]: 'openInterest',
}
