import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sortBySymbolDate, symbolRanges } from '../column-table.ts'
import { MetaStockError } from '../errors.ts'
import type { ColumnTable, WriteMetaStockOptions, WriteMetaStockResult } from '../types.ts'
import { daysToCyymmdd, numberToMbf } from './_mbf.ts'

const MASK: Record<number, number> = { 5: 0x1f, 6: 0x3f, 7: 0x7f, 8: 0xff }
const MAX_FILES = 0xffff

function putText(bytes: Uint8Array, at: number, width: number, s: string, pad: number): void {
  for (let i = 0; i < width; i++) bytes[at + i] = i < s.length ? s.charCodeAt(i) & 0xff : pad
}

const put16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff
  b[o + 1] = (v >>> 8) & 0xff
}
const put32 = (b: Uint8Array, o: number, v: number): void => {
  put16(b, o, v & 0xffff)
  put16(b, o + 2, (v >>> 16) & 0xffff)
}

/** Float32 words of `values` turned in place into MBF singles (the inverse of FORMAT.md §7). */
function toMbfInPlace(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    const e = (w >>> 23) & 0xff
    if (e === 0) words[i] = 0
    else if (e >= 254) words[i] = (0xff00_0000 | ((w >>> 31) << 23) | 0x7f_ffff) >>> 0
    else words[i] = (((e + 2) << 24) | ((w >>> 31) << 23) | (w & 0x7f_ffff)) >>> 0
  }
}

interface Security {
  fileNumber: number
  symbol: string
  name: string
  first: number
  last: number
}

/**
 * Writes a table as a MetaStock directory: one `F<n>.DAT` per symbol for n ≤ 255 (indexed by MASTER and EMASTER)
 * and `F<n>.MWD` above (indexed by XMASTER, written when there are more than 255 symbols). Prices and volumes are
 * stored as MBF singles (float32 precision), dates as CYYMMDD. Rows are written per symbol in date order.
 *
 * @param dir - Directory to write into (created when missing; existing index and data files are replaced).
 * @param table - The rows to write; symbols of 1 to 14 printable ASCII characters.
 * @param options - Fields per record (5-8), security names.
 * @throws {@link MetaStockError} for a symbol MetaStock cannot hold or more than 65,535 symbols.
 * @example
 * writeMetaStock('out/ms', syntheticMarket({ symbols: 300, days: 250 }))
 */
export function writeMetaStock(
  dir: string,
  table: ColumnTable,
  options: WriteMetaStockOptions = {},
): WriteMetaStockResult {
  const fields = options.fields ?? (table.openInterest === null ? 6 : 7)
  if (![5, 6, 7, 8].includes(fields)) {
    throw new TypeError(`Expected \`fields\` to be 5, 6, 7 or 8, got \`${String(fields)}\` (${typeof fields})`)
  }
  let ranges = symbolRanges(table)
  if (new Set(ranges.codes).size !== ranges.codes.length) {
    table = sortBySymbolDate(table)
    ranges = symbolRanges(table)
  }
  const count = ranges.codes.length
  if (count > MAX_FILES)
    throw new MetaStockError(`metastock: ${count} symbols exceed the 65,535 files a directory can index`, dir)
  mkdirSync(dir, { recursive: true })
  const layout: Layout = { dir, fields, periodicity: fields === 8 ? 'I' : 'D', dateOf: cyymmddMemo() }
  const securities: Security[] = []
  let bytes = 0
  let rows = 0
  for (let s = 0; s < count; s++) {
    const symbol = table.symbols[ranges.codes[s]!]!
    const start = ranges.starts[s]!
    const end = ranges.ends[s]!
    const written = writeDataFile(layout, table, symbol, s + 1, start, end)
    bytes += written.bytes
    rows += end - start
    securities.push({ ...written.security, name: options.names?.[symbol] ?? symbol })
  }
  bytes += writeMasters(
    layout,
    securities.filter((s) => s.fileNumber <= 255),
  )
  const mwd = securities.filter((s) => s.fileNumber > 255)
  if (mwd.length > 0) bytes += writeXMaster(layout, mwd)
  return { securities: count, rows, bytes }
}

/** What every file of one directory shares: where, the fields per record, the periodicity, the date codec. */
interface Layout {
  dir: string
  fields: number
  periodicity: string
  dateOf: (day: number) => number
}

/** Days since 1970 to CYYMMDD, each distinct day converted once (a directory repeats the same days per symbol). */
function cyymmddMemo(): (day: number) => number {
  const cyymmdd = new Map<number, number>()
  return (day) => {
    let v = cyymmdd.get(day)
    if (v === undefined) {
      v = daysToCyymmdd(day)
      cyymmdd.set(day, v)
    }
    return v
  }
}

/** Writes rows `start`..`end` (one symbol) as `F<n>.DAT`/`.MWD` in date order; its security (name to fill) and size. */
function writeDataFile(
  layout: Layout,
  table: ColumnTable,
  symbol: string,
  fileNumber: number,
  start: number,
  end: number,
): { security: Omit<Security, 'name'>; bytes: number } {
  const { dir, fields, dateOf } = layout
  if (symbol.length === 0 || symbol.length > 14 || /[^\x20-\x7e]/.test(symbol) || symbol.trim() !== symbol) {
    throw new MetaStockError(`metastock: symbol '${symbol}' cannot be stored (1 to 14 printable ASCII characters)`, dir)
  }
  let order: Int32Array | null = null
  for (let i = start + 1; i < end; i++) {
    if (table.date[i]! < table.date[i - 1]!) {
      order = Int32Array.from({ length: end - start }, (_, k) => start + k).sort(
        (a, b) => table.date[a]! - table.date[b]!,
      )
      break
    }
  }
  const n = end - start
  const recWords = fields
  const buf = new ArrayBuffer((n + 1) * recWords * 4)
  const f32 = new Float32Array(buf)
  const u32 = new Uint32Array(buf)
  const oi = table.openInterest
  for (let k = 0; k < n; k++) {
    const i = order === null ? start + k : order[k]!
    const w = (k + 1) * recWords
    f32[w] = dateOf(table.date[i]!)
    if (fields === 5) {
      f32[w + 1] = table.high[i]!
      f32[w + 2] = table.low[i]!
      f32[w + 3] = table.close[i]!
      f32[w + 4] = table.volume[i]!
      continue
    }
    const t = fields === 8 ? 1 : 0
    f32[w + 1 + t] = table.open[i]!
    f32[w + 2 + t] = table.high[i]!
    f32[w + 3 + t] = table.low[i]!
    f32[w + 4 + t] = table.close[i]!
    f32[w + 5 + t] = table.volume[i]!
    if (fields >= 7) f32[w + 6 + t] = oi === null ? 0 : oi[i]!
  }
  toMbfInPlace(u32.subarray(recWords))
  const header = new Uint8Array(buf, 0, 4)
  put16(header, 0, 0)
  put16(header, 2, (n + 1) & 0xffff)
  writeFileSync(join(dir, `F${fileNumber}.${fileNumber <= 255 ? 'DAT' : 'MWD'}`), new Uint8Array(buf))
  const first = order === null ? table.date[start]! : table.date[order[0]!]!
  const last = order === null ? table.date[end - 1]! : table.date[order[n - 1]!]!
  return { security: { fileNumber, symbol, first, last }, bytes: buf.byteLength }
}

/** Writes MASTER and EMASTER, the index of files F1..F255; their size. */
function writeMasters(layout: Layout, dat: Security[]): number {
  const { dir, fields, periodicity, dateOf } = layout
  const master = new Uint8Array(53 * (dat.length + 1))
  const emaster = new Uint8Array(192 * (dat.length + 1))
  put16(master, 0, dat.length)
  put16(master, 2, dat.length)
  put16(emaster, 0, dat.length)
  put16(emaster, 2, dat.length)
  dat.forEach((s, k) => {
    const o = 53 * (k + 1)
    master[o] = s.fileNumber
    master[o + 1] = 0x65
    master[o + 3] = fields * 4
    master[o + 4] = fields
    putText(master, o + 7, 16, s.name, 0x20)
    put32(master, o + 25, numberToMbf(dateOf(s.first)))
    put32(master, o + 29, numberToMbf(dateOf(s.last)))
    master[o + 33] = periodicity.charCodeAt(0)
    putText(master, o + 36, 14, s.symbol, 0x20)
    master[o + 50] = 0x20
    master[o + 51] = 0x20
    const e = 192 * (k + 1)
    putText(emaster, e, 2, '66', 0)
    emaster[e + 2] = s.fileNumber
    emaster[e + 6] = fields
    emaster[e + 7] = MASK[fields]!
    emaster[e + 9] = 0x20
    putText(emaster, e + 11, 14, s.symbol, 0)
    putText(emaster, e + 32, 16, s.name, 0)
    emaster[e + 60] = periodicity.charCodeAt(0)
    const ev = new DataView(emaster.buffer, e)
    ev.setFloat32(64, dateOf(s.first), true)
    ev.setFloat32(72, dateOf(s.last), true)
    ev.setUint32(126, dateOf(s.first) + 19_000_000, true)
    putText(emaster, e + 139, 53, s.name, 0)
  })
  writeFileSync(join(dir, 'MASTER'), master)
  writeFileSync(join(dir, 'EMASTER'), emaster)
  return master.length + emaster.length
}

/** Writes XMASTER, the index of files F256 and up; its size. */
function writeXMaster(layout: Layout, mwd: Security[]): number {
  const { dir, fields, periodicity, dateOf } = layout
  const x = new Uint8Array(150 * (mwd.length + 1))
  put32(x, 0, 0x4d58_fe5d)
  put16(x, 10, mwd.length)
  put16(x, 14, mwd.length)
  put16(x, 18, (mwd[mwd.length - 1]!.fileNumber + 1) & 0xffff)
  mwd.forEach((s, k) => {
    const o = 150 * (k + 1)
    x[o] = 0x01
    putText(x, o + 1, 15, s.symbol, 0)
    putText(x, o + 16, 45, s.name, 0)
    x[o + 62] = periodicity.charCodeAt(0)
    put16(x, o + 65, s.fileNumber)
    x[o + 70] = MASK[fields]!
    const first = dateOf(s.first) + 19_000_000
    put32(x, o + 80, first)
    put32(x, o + 104, first)
    put32(x, o + 108, first)
    put32(x, o + 116, dateOf(s.last) + 19_000_000)
  })
  writeFileSync(join(dir, 'XMASTER'), x)
  return x.length
}
