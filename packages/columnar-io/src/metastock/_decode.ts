// The hot loop of the MetaStock importer: decodes one data file's records (MBF singles, CYYMMDD dates) straight into
// the output columns, dropping records with invalid dates or implausible values and summarising them as issues.
import type { OutColumns } from '../_out-columns.ts'
import type { MetaStockIssue } from '../types.ts'
import { daysFromCivil, daysInMonth } from '../_calendar.ts'
import { MBF_SCALE } from './_mbf.ts'

/** One data file to decode. */
export interface DecodeTask {
  /** Path, for reading and for issues. */
  path: string
  /** File name, for messages. */
  name: string
  /** Fields per record. */
  fields: number
  /** 5-field layout: true for date, open, high, low, close; false for date, high, low, close, volume. */
  fiveOpen: boolean
  /** Dictionary code of the file's symbol. */
  code: number
  /** First output row. */
  at: number
  /** Rows reserved (records in the file less the header). */
  capacity: number
}

/** What decoding one file gave. */
export interface DecodeResult {
  rows: number
  firstDate: number | null
  lastDate: number | null
  issues: MetaStockIssue[]
}

// Day number of each CYYMMDD value's month start, for years 1900..2199: index (C*100 + YY) * 13 + month.
const MONTH_START = new Int32Array(300 * 13).fill(-0x7fff_ffff)
const MONTH_LEN = new Int8Array(300 * 13)
{
  for (let yi = 0; yi < 300; yi++) {
    for (let m = 1; m <= 12; m++) {
      MONTH_START[yi * 13 + m] = daysFromCivil(1900 + yi, m, 1) - 1
      MONTH_LEN[yi * 13 + m] = daysInMonth(1900 + yi, m)
    }
  }
}

const CACHE_MASK = 4095
const cacheKey = new Uint32Array(CACHE_MASK + 1)
const cacheDay = new Int32Array(CACHE_MASK + 1)

const MAX_PRICE = 1e9
const MIN_PRICE = 1e-6
const MAX_VOLUME = 1e15

/**
 * Decodes the records of one data file held in `words` (the file's bytes as little-endian u32s; `byteLength` its
 * size) into `out` from row `task.at`, at most `task.capacity` rows.
 */
// The MetaStock kernel, long on purpose: one pass over the records' words decoding MBF, checking ranges and
// writing the columns with the date cache in locals; split into functions, that state would go through memory on
// every record.
// eslint-disable-next-line max-lines-per-function -- the MetaStock kernel (see above)
export function decodeRecords(words: Uint32Array, byteLength: number, task: DecodeTask, out: OutColumns): DecodeResult {
  const issues: MetaStockIssue[] = []
  const { fields, path, name } = task
  const recBytes = fields * 4
  const records = Math.floor(byteLength / recBytes)
  if (records === 0) {
    issues.push({
      file: path,
      offset: 0,
      code: 'truncated-file',
      message: `metastock: ${name} is ${byteLength} bytes, shorter than one ${recBytes}-byte record`,
    })
    return { rows: 0, firstDate: null, lastDate: null, issues }
  }
  if (byteLength % recBytes !== 0) {
    issues.push({
      file: path,
      offset: records * recBytes,
      code: 'truncated-file',
      message: `metastock: ${name} ends ${byteLength % recBytes} bytes into record ${records} (${recBytes}-byte records); the partial record is dropped`,
    })
  }
  // Header record: u16 at byte 2 counts the records including the header (FORMAT.md §5); above 65,535 it wraps.
  const headerCount = (words[0]! >>> 16) & 0xffff
  if (headerCount !== (records & 0xffff)) {
    issues.push({
      file: path,
      offset: 2,
      code: 'count-mismatch',
      message: `metastock: ${name} holds ${records - 1} records but its header says ${headerCount - 1}; importing the ${records - 1} it holds`,
    })
  }
  const rows = Math.min(records - 1, task.capacity)
  const S = MBF_SCALE
  const { date, open, high, low, close, volume } = out
  const oi = fields >= 7 ? out.openInterest : null
  // Word offsets of each field within a record; -1 when absent.
  const time = fields === 8 ? 1 : 0
  const fOpen = fields === 5 ? (task.fiveOpen ? 1 : -1) : 1 + time
  const fHigh = fields === 5 ? (task.fiveOpen ? 2 : 1) : 2 + time
  const fLow = fHigh + 1
  const fClose = fHigh + 2
  const fVolume = fields === 5 ? (task.fiveOpen ? -1 : 4) : 5 + time
  const fOi = fields >= 7 ? 6 + time : -1
  let row = task.at
  let badDates = 0
  let firstBadDate = -1
  let badValues = 0
  let firstBadValue = -1
  let firstDate: number | null = null
  let lastDay = 0
  for (let r = 1, w = fields; r <= rows; r++, w += fields) {
    // Date: CYYMMDD as MBF → day number via the month table.
    const dw = words[w]!
    // Most date words repeat across files: a small direct-mapped cache skips the arithmetic.
    const slot = (dw ^ (dw >>> 11)) & CACHE_MASK
    let day: number
    if (cacheKey[slot] === dw && dw !== 0) day = cacheDay[slot]!
    else {
      const dv = ((dw & 0x7f_ffff) | 0x80_0000) * S[dw >>> 23]!
      const ymd = dv | 0
      const cyy = (ymd / 10_000) | 0
      const mm = ((ymd / 100) | 0) - cyy * 100
      const dd = ymd - cyy * 10_000 - mm * 100
      if (ymd !== dv || cyy < 0 || cyy >= 300 || mm < 1 || mm > 12 || dd < 1 || dd > MONTH_LEN[cyy * 13 + mm]!) {
        if (badDates++ === 0) firstBadDate = r
        continue
      }
      day = MONTH_START[cyy * 13 + mm]! + dd
      cacheKey[slot] = dw
      cacheDay[slot] = day
    }
    let v = words[w + fHigh]!
    const h = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    v = words[w + fLow]!
    const l = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    v = words[w + fClose]!
    const c = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    let o = Number.NaN
    if (fOpen >= 0) {
      v = words[w + fOpen]!
      o = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    }
    let vol = Number.NaN
    if (fVolume >= 0) {
      v = words[w + fVolume]!
      vol = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    }
    let interest = 0
    if (fOi >= 0) {
      v = words[w + fOi]!
      interest = ((v & 0x7f_ffff) | 0x80_0000) * S[v >>> 23]!
    }
    // Plausible: prices 0 or within [1e-6, 1e9], volume and open interest within [0, 1e15] (NaN = column absent).
    if (
      !(h === 0 || (h >= MIN_PRICE && h <= MAX_PRICE)) ||
      !(l === 0 || (l >= MIN_PRICE && l <= MAX_PRICE)) ||
      !(c === 0 || (c >= MIN_PRICE && c <= MAX_PRICE)) ||
      (o === o && !(o === 0 || (o >= MIN_PRICE && o <= MAX_PRICE))) ||
      (vol === vol && !(vol >= 0 && vol <= MAX_VOLUME)) ||
      !(interest >= 0 && interest <= MAX_VOLUME)
    ) {
      if (badValues++ === 0) firstBadValue = r
      continue
    }
    date[row] = day
    open[row] = o
    high[row] = h
    low[row] = l
    close[row] = c
    volume[row] = vol
    if (oi !== null) oi[row] = interest
    if (firstDate === null) firstDate = day
    lastDay = day
    row++
  }
  const kept = row - task.at
  out.symbol.fill(task.code, task.at, row)
  if (out.openInterest !== null && oi === null) out.openInterest.fill(Number.NaN, task.at, row)
  if (badDates > 0) {
    const dw = words[firstBadDate * fields]!
    const dv = ((dw & 0x7f_ffff) | 0x80_0000) * S[dw >>> 23]!
    issues.push({
      file: path,
      offset: firstBadDate * recBytes,
      code: 'bad-date',
      message: `metastock: ${name} has ${badDates} record(s) with an invalid date, first record ${firstBadDate} (date ${dv}); skipped`,
    })
  }
  if (badValues > 0) {
    issues.push({
      file: path,
      offset: firstBadValue * recBytes,
      code: 'bad-value',
      message: `metastock: ${name} has ${badValues} record(s) with a negative or implausible price or volume, first record ${firstBadValue}; skipped`,
    })
  }
  return { rows: kept, firstDate, lastDate: firstDate === null ? null : lastDay, issues }
}
