// Byte-level number and date parsing for the CSV reader. No strings are made for numbers: digits are accumulated
// into a double and scaled once. While the mantissa stays below 2^53 and the decimal exponent within ±22, both
// operands are exact and one IEEE multiply or divide rounds correctly (Clinger's fast path), so the result equals
// Number(text). Anything outside that falls back to Number() on the decoded text.
import { daysFromCivil, isValidDate } from '../_calendar.ts'

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
]
const MAX_EXACT = 9007199254740991
const latin1 = new TextDecoder('latin1')

/** Second result of the scanners below: where the scanned field stopped, and whether it was malformed. */
export const cursor: { end: number; bad: boolean } = { end: 0, bad: false }

/** True for the bytes that end an unquoted field: the delimiter, `\n`, `\r`, or a closing quote. */
function isTerminator(c: number, delim: number): boolean {
  return c === delim || c === 10 || c === 13 || c === 34
}

/**
 * Parses a decimal number starting at `i`; sets `cursor.end` to the first byte after it and `cursor.bad` when the
 * field is not a number. An empty field gives NaN with `bad` false. This is the small, inlinable common case
 * (unsigned `digits[.digits]`); everything else goes to `parseNumberGeneral`.
 */
export function parseNumberAt(b: Uint8Array, i: number, end: number, delim: number): number {
  let j = i
  let m = 0
  while (j < end) {
    const d = b[j]! - 48
    if (d < 0 || d > 9) break
    m = m * 10 + d
    j++
  }
  let digits = j - i
  let scale = 0
  if (j < end && b[j] === 46) {
    const f = ++j
    while (j < end) {
      const d = b[j]! - 48
      if (d < 0 || d > 9) break
      m = m * 10 + d
      j++
    }
    scale = j - f
    digits += scale
  }
  if (digits > 0 && m <= MAX_EXACT && scale <= 22 && (j === end || isTerminator(b[j]!, delim))) {
    cursor.end = j
    cursor.bad = false
    return scale === 0 ? m : m / POW10[scale]!
  }
  return parseNumberGeneral(b, i, end, delim)
}

/** Every other number: signs, exponents, long mantissas, empty and malformed fields. */
function parseNumberGeneral(b: Uint8Array, i: number, end: number, delim: number): number {
  const start = i
  let neg = false
  if (i < end) {
    const c = b[i]!
    if (c === 45) {
      neg = true
      i++
    } else if (c === 43) i++
  }
  let m = 0
  let digits = 0
  let scale = 0
  while (i < end) {
    const d = b[i]! - 48
    if (d < 0 || d > 9) break
    m = m * 10 + d
    i++
    digits++
  }
  if (i < end && b[i] === 46) {
    i++
    while (i < end) {
      const d = b[i]! - 48
      if (d < 0 || d > 9) break
      m = m * 10 + d
      i++
      digits++
      scale++
    }
  }
  let exp = 0
  if (digits > 0 && i < end && (b[i] === 101 || b[i] === 69)) {
    i++
    let eneg = false
    if (i < end && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45
      i++
    }
    let ed = 0
    while (i < end) {
      const d = b[i]! - 48
      if (d < 0 || d > 9) break
      exp = exp * 10 + d
      i++
      ed++
    }
    if (ed === 0) return slowNumber(b, start, end, delim)
    if (eneg) exp = -exp
  }
  if (i < end && !isTerminator(b[i]!, delim)) return slowNumber(b, start, end, delim)
  cursor.end = i
  if (digits === 0) {
    cursor.bad = i !== start
    return NaN
  }
  cursor.bad = false
  if (m > MAX_EXACT) return slowNumber(b, start, end, delim)
  const e10 = exp - scale
  let v: number
  if (e10 === 0) v = m
  else if (e10 < 0 && e10 >= -22) v = m / POW10[-e10]!
  else if (e10 > 0 && e10 <= 22) v = m * POW10[e10]!
  else return slowNumber(b, start, end, delim)
  return neg ? -v : v
}

/** Words read as a missing value rather than a bad number. */
const MISSING = new Set(['nan', 'na', 'n/a', 'null', 'none', '-', '#n/a'])

/** The exact but slower path: decode the field and let Number() decide. */
function slowNumber(b: Uint8Array, start: number, end: number, delim: number): number {
  let i = start
  while (i < end && !isTerminator(b[i]!, delim)) i++
  cursor.end = i
  const text = latin1.decode(b.subarray(start, i)).trim()
  if (text === '') {
    cursor.bad = false
    return NaN
  }
  const v = Number(text)
  if (Number.isNaN(v)) {
    cursor.bad = !MISSING.has(text.toLowerCase())
    return NaN
  }
  cursor.bad = false
  return v
}

/** Date layouts the reader understands. */
export type DateLayout = 'iso' | 'us' | 'dmy' | 'compact'

/** Memo of the last month seen by the ISO fast path: key y * 16 + m, and its first day. */
let monthKey = -1
let monthStart = 0

/** Reads up to `max` digits at `i` into `cursor.end`; returns the value or -1 when there is no digit. */
function digitsAt(b: Uint8Array, i: number, end: number, min: number, max: number): number {
  let v = 0
  let n = 0
  while (i < end && n < max) {
    const d = b[i]! - 48
    if (d < 0 || d > 9) break
    v = v * 10 + d
    i++
    n++
  }
  cursor.end = i
  return n < min ? -1 : v
}

/**
 * Parses a date in `layout` starting at `i` into days since 1970-01-01; a time of day after a space or `T` is
 * skipped. Sets `cursor.end` and `cursor.bad` (an empty field is bad too: a row needs its date).
 */
export function parseDateAt(b: Uint8Array, i: number, end: number, delim: number, layout: DateLayout): number {
  if (layout === 'iso' && i + 10 <= end && b[i + 4] === 45 && b[i + 7] === 45) {
    // Fast path for the usual YYYY-MM-DD: fixed positions, and the first day of the month memoised (rows of a
    // symbol are usually in date order, so the month rarely changes between rows).
    const c0 = b[i]! - 48
    const c1 = b[i + 1]! - 48
    const c2 = b[i + 2]! - 48
    const c3 = b[i + 3]! - 48
    const c5 = b[i + 5]! - 48
    const c6 = b[i + 6]! - 48
    const c8 = b[i + 8]! - 48
    const c9 = b[i + 9]! - 48
    const next = i + 10 < end ? b[i + 10]! : 10
    if (
      ((c0 | c1 | c2 | c3 | c5 | c6 | c8 | c9) & ~15) === 0 &&
      c0 <= 9 &&
      c1 <= 9 &&
      c2 <= 9 &&
      c3 <= 9 &&
      c5 <= 9 &&
      c6 <= 9 &&
      c8 <= 9 &&
      c9 <= 9 &&
      (next === delim || next === 10 || next === 13 || next === 34)
    ) {
      const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3
      const m = c5 * 10 + c6
      const d = c8 * 10 + c9
      cursor.end = i + 10
      if (!isValidDate(y, m, d)) {
        cursor.bad = true
        return 0
      }
      cursor.bad = false
      const key = y * 16 + m
      if (key !== monthKey) {
        monthKey = key
        monthStart = daysFromCivil(y, m, 1)
      }
      return monthStart + d - 1
    }
  }
  return parseDateGeneral(b, i, end, delim, layout)
}

/** `parseDateAt` for every layout and form the ISO fast path leaves (one-digit fields, a time of day, a bad date). */
function parseDateGeneral(b: Uint8Array, i: number, end: number, delim: number, layout: DateLayout): number {
  let y: number
  let m: number
  let d: number
  const start = i
  if (layout === 'iso') {
    y = digitsAt(b, i, end, 4, 4)
    i = cursor.end
    if (y < 0 || b[i] !== 45) return badDate(b, start, end, delim)
    m = digitsAt(b, i + 1, end, 1, 2)
    i = cursor.end
    if (m < 0 || b[i] !== 45) return badDate(b, start, end, delim)
    d = digitsAt(b, i + 1, end, 1, 2)
    i = cursor.end
  } else if (layout === 'compact') {
    const v = digitsAt(b, i, end, 8, 8)
    i = cursor.end
    if (v < 0) return badDate(b, start, end, delim)
    y = Math.floor(v / 10000)
    m = Math.floor(v / 100) % 100
    d = v % 100
  } else {
    const a = digitsAt(b, i, end, 1, 2)
    i = cursor.end
    if (a < 0 || b[i] !== 47) return badDate(b, start, end, delim)
    const c = digitsAt(b, i + 1, end, 1, 2)
    i = cursor.end
    if (c < 0 || b[i] !== 47) return badDate(b, start, end, delim)
    y = digitsAt(b, i + 1, end, 4, 4)
    i = cursor.end
    if (layout === 'us') {
      m = a
      d = c
    } else {
      m = c
      d = a
    }
  }
  if (y < 0 || d < 0) return badDate(b, start, end, delim)
  if (i < end) {
    const c = b[i]!
    if (c === 32 || c === 84) {
      while (i < end && !isTerminator(b[i]!, delim)) i++
    } else if (!isTerminator(c, delim)) return badDate(b, start, end, delim)
  }
  cursor.end = i
  if (!isValidDate(y, m, d)) {
    cursor.bad = true
    return 0
  }
  cursor.bad = false
  return daysFromCivil(y, m, d)
}

function badDate(b: Uint8Array, start: number, end: number, delim: number): number {
  let i = start
  while (i < end && !isTerminator(b[i]!, delim)) i++
  cursor.end = i
  cursor.bad = true
  return 0
}
