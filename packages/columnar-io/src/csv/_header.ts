// Header and layout detection: delimiter, which field is which column, and the date layout, from the first bytes.
import { CsvFormatError } from '../errors.ts'
import { NAMES, ROLE } from '../_column-roles.ts'
import type { DateLayout } from './_number.ts'

/** Everything the row parser needs to know about one file; plain data so it crosses to workers. */
export interface CsvSpec {
  /** Delimiter byte. */
  delimiter: number
  /** File offset of the first byte after the header line. */
  headerEnd: number
  /** Fields per row, from the header. */
  nFields: number
  /** Role of each field (ROLE values). */
  roles: number[]
  /** Date layout of the date field. */
  dateLayout: DateLayout
  /** Bit `1 << role` set for each role the header has. */
  present: number
  /** The header's field names as written. */
  columns: string[]
}

/** Options that steer detection. */
export interface DetectOptions {
  delimiter?: string | undefined
  dateFormat?: DateLayout | undefined
  adjustedClose?: boolean | undefined
}

const ADJ_CLOSE = new Set(['adjclose', 'adjustedclose', 'adjclosingprice'])

const utf8 = new TextDecoder('utf-8')

/** Splits one line on `delim`, honouring double quotes. */
function splitLine(line: string, delim: string): string[] {
  const out: string[] = []
  let cur = ''
  let q = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (q) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"'
          i++
        } else q = false
      } else cur += ch
    } else if (ch === '"') q = true
    else if (ch === delim) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

/** Counts `ch` outside double quotes. */
function countOutsideQuotes(line: string, ch: string): number {
  let n = 0
  let q = false
  for (const c of line) {
    if (c === '"') q = !q
    else if (!q && c === ch) n++
  }
  return n
}

/** Offset just past the first line ending at or after `from` that is outside quotes, or -1. */
export function lineEnd(b: Uint8Array, from: number, end: number): number {
  let q = false
  for (let i = from; i < end; i++) {
    const c = b[i]
    if (c === 34) q = !q
    else if (c === 10 && !q) return i + 1
  }
  return -1
}

/**
 * Detects the layout of a CSV from its first bytes (`head`, which starts at file offset 0).
 * Throws CsvFormatError naming `file` when the bytes are binary or the header is not an OHLCV header.
 */
export function detectCsv(head: Uint8Array, file: string, options: DetectOptions = {}): CsvSpec {
  if (head.length === 0) throw new CsvFormatError(`csv: ${file} is empty`, file)
  const probe = Math.min(head.length, 4096)
  let control = 0
  for (let i = 0; i < probe; i++) {
    const c = head[i]!
    if (c === 0) throw new CsvFormatError(`csv: ${file} is not a text CSV file (NUL byte at offset ${i})`, file)
    if (c < 9 || (c > 13 && c < 32)) control++
  }
  if (control > probe / 100 + 1) {
    throw new CsvFormatError(
      `csv: ${file} is not a text CSV file (${control} control bytes in the first ${probe})`,
      file,
    )
  }
  let start = 0
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3
  let headerEnd = lineEnd(head, start, head.length)
  if (headerEnd < 0) headerEnd = head.length
  const headerLine = utf8.decode(head.subarray(start, headerEnd)).replace(/\r?\n$/, '')

  let delim = options.delimiter
  if (delim === undefined) {
    let best = 0
    for (const cand of [',', ';', '\t', '|']) {
      const n = countOutsideQuotes(headerLine, cand)
      if (n > best) {
        best = n
        delim = cand
      }
    }
  }
  if (delim === undefined || delim.length !== 1) {
    throw new CsvFormatError(
      `csv: ${file} has no recognisable header: no delimiter (comma, semicolon, tab) in its first line ${JSON.stringify(headerLine.slice(0, 80))}`,
      file,
    )
  }
  const columns = splitLine(headerLine, delim).map((s) => s.trim())
  const roles: number[] = []
  let present = 0
  for (const col of columns) {
    const key = col.toLowerCase().replace(/[\s_.-]/g, '')
    let role: number = NAMES[key] ?? ROLE.ignore
    if (ADJ_CLOSE.has(key)) role = options.adjustedClose === true ? ROLE.close : ROLE.ignore
    else if (role === ROLE.close && options.adjustedClose === true) role = ROLE.ignore
    // The first column of each role wins; later duplicates are ignored.
    if (role !== ROLE.ignore && (present & (1 << role)) !== 0) role = ROLE.ignore
    present |= 1 << role
    roles.push(role)
  }
  present &= ~1
  if ((present & (1 << ROLE.date)) === 0 || (present & (1 << ROLE.close)) === 0) {
    throw new CsvFormatError(
      `csv: ${file} has no recognisable OHLCV header: expected Date and Close columns, found ${JSON.stringify(columns.slice(0, 12))}`,
      file,
    )
  }
  const dateLayout = options.dateFormat ?? sniffDates(head, headerEnd, delim.charCodeAt(0), roles.indexOf(ROLE.date))
  return {
    delimiter: delim.charCodeAt(0),
    headerEnd,
    nFields: columns.length,
    roles,
    dateLayout,
    present,
    columns,
  }
}

/** Looks at the date field of up to 50 data lines to choose ISO, US, day-first or compact dates. */
function sniffDates(head: Uint8Array, from: number, delim: number, field: number): DateLayout {
  const text = utf8.decode(head.subarray(from, Math.min(head.length, from + 16384)))
  const lines = text.split('\n').slice(0, 50)
  let slash = false
  let dayFirst = false
  for (const line of lines) {
    const raw = splitLine(line.replace(/\r$/, ''), String.fromCharCode(delim))[field]
    if (raw === undefined) continue
    const v = raw.trim()
    if (v === '') continue
    if (/^\d{4}-\d{1,2}-\d{1,2}/.test(v)) return 'iso'
    if (/^\d{8}$/.test(v)) return 'compact'
    const m = /^(\d{1,2})\/(\d{1,2})\/\d{4}/.exec(v)
    if (m !== null) {
      slash = true
      if (Number(m[1]) > 12) dayFirst = true
    }
  }
  if (slash) return dayFirst ? 'dmy' : 'us'
  return 'iso'
}
