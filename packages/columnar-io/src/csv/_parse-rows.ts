// The hot loop: CSV records from a byte range straight into typed-array columns. One pass, no strings except for a
// symbol that differs from the previous row's.
import { SymbolDictionary } from '../_symbol-dictionary.ts'
import type { OutColumns } from '../_out-columns.ts'
import type { CsvIssue } from '../types.ts'
import { ROLE } from '../_column-roles.ts'
import type { CsvSpec } from './_header.ts'
import { cursor, parseDateAt, parseNumberAt } from './_number.ts'

/** Parser state that survives across byte ranges of one file (and across files for the symbol dictionary). */
export interface ParseState {
  /** Symbol dictionary built so far. */
  dict: SymbolDictionary
  /** Code written for every row when the file has no symbol column. */
  fixedSymbol: number
  /** File name used in issues. */
  file: string
  /** Issues collected so far. */
  issues: CsvIssue[]
  /** Bytes and length of the previous row's symbol, and its code. */
  lastSym: Uint8Array
  lastSymLen: number
  lastCode: number
  /** After `parseRows`: the byte offset it stopped at and the next record's line number. */
  pos: number
  line: number
}

/** Fresh state for one parse job. */
export function newParseState(file: string, fixedSymbol: number): ParseState {
  return {
    dict: new SymbolDictionary(),
    fixedSymbol,
    file,
    issues: [],
    lastSym: new Uint8Array(64),
    lastSymLen: -1,
    lastCode: -1,
    pos: 0,
    line: 0,
  }
}

const utf8 = new TextDecoder('utf-8')
const FIELD_NAMES = ['field', 'date', 'open', 'high', 'low', 'close', 'volume', 'open interest', 'symbol']

/** Offset of the start of the next record after `pos` (skips quoted newlines). */
export function skipRecord(b: Uint8Array, pos: number, end: number): number {
  let q = false
  while (pos < end) {
    const c = b[pos++]
    if (c === 34) q = !q
    else if (c === 10 && !q) return pos
  }
  return end
}

/** End of an unquoted field starting at `pos`. */
function fieldEnd(b: Uint8Array, pos: number, end: number, delim: number): number {
  while (pos < end) {
    const c = b[pos]
    if (c === delim || c === 10 || c === 13) return pos
    pos++
  }
  return end
}

/** End of a quoted field whose opening quote is just before `pos`: the offset of the closing quote, or -1. */
function closingQuote(b: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    if (b[pos] === 34) {
      if (pos + 1 < end && b[pos + 1] === 34) pos += 2
      else return pos
    } else pos++
  }
  return -1
}

function symbolCode(st: ParseState, b: Uint8Array, s: number, e: number, quoted: boolean): number {
  const len = e - s
  if (len === st.lastSymLen) {
    const last = st.lastSym
    let i = 0
    while (i < len && last[i] === b[s + i]) i++
    if (i === len) return st.lastCode
  }
  let name = utf8.decode(b.subarray(s, e)).trim()
  if (quoted) name = name.replaceAll('""', '"')
  const code = st.dict.code(name)
  if (len <= st.lastSym.length) {
    st.lastSym.set(b.subarray(s, e))
    st.lastSymLen = len
    st.lastCode = code
  } else st.lastSymLen = -1
  return code
}

/**
 * Parses records in `b[pos, end)` into `out` from row `row`, writing at most `limit - row` rows. `line` is the line
 * number of the first record (for issues). Returns the number of rows written; `st.pos` / `st.line` tell where it
 * stopped. Bad records become issues and are skipped; fields of roles the header lacks are left untouched.
 */
// The CSV kernel, long on purpose: one pass over the bytes per record with the field cursor, the column writes and
// the issue checks in locals; split into per-field functions, the cursor and row state would go through memory on
// every byte of every field.
// eslint-disable-next-line max-lines-per-function -- the CSV kernel (see above)
export function parseRows(
  b: Uint8Array,
  pos: number,
  end: number,
  spec: CsvSpec,
  out: OutColumns,
  row: number,
  limit: number,
  line: number,
  st: ParseState,
): number {
  const delim = spec.delimiter
  const roles = spec.roles
  const nFields = spec.nFields
  const layout = spec.dateLayout
  const { symbol, date, open, high, low, close, volume } = out
  const oi = out.openInterest ?? new Float64Array(0)
  const fixed = st.fixedSymbol
  const first = row
  outer: while (pos < end && row < limit) {
    const c0 = b[pos]
    if (c0 === 10) {
      pos++
      line++
      continue
    }
    if (c0 === 13 && (pos + 1 >= end || b[pos + 1] === 10)) {
      pos += 2
      line++
      continue
    }
    const rowStart = pos
    let f = 0
    let err = ''
    if (fixed >= 0) symbol[row] = fixed
    for (;;) {
      const role = f < nFields ? roles[f]! : ROLE.ignore
      let quoted = false
      if (pos < end && b[pos] === 34) {
        quoted = true
        pos++
      }
      if (role >= ROLE.open && role <= ROLE.openInterest) {
        const v = parseNumberAt(b, pos, end, delim)
        if (cursor.bad) {
          err = `${FIELD_NAMES[role]} is not a number`
          break
        }
        pos = cursor.end
        switch (role) {
          case ROLE.open:
            open[row] = v
            break
          case ROLE.high:
            high[row] = v
            break
          case ROLE.low:
            low[row] = v
            break
          case ROLE.close:
            close[row] = v
            break
          case ROLE.volume:
            volume[row] = v
            break
          default:
            oi[row] = v
        }
      } else if (role === ROLE.date) {
        const d = parseDateAt(b, pos, end, delim, layout)
        if (cursor.bad) {
          err = pos === cursor.end ? 'empty date' : `date is not a valid ${layout} date`
          break
        }
        pos = cursor.end
        date[row] = d
      } else if (quoted) {
        const q = closingQuote(b, pos, end)
        if (q < 0) {
          err = 'unterminated quoted field'
          break
        }
        if (role === ROLE.symbol) {
          if (q === pos) {
            err = 'empty symbol'
            break
          }
          symbol[row] = symbolCode(st, b, pos, q, true)
        }
        pos = q
      } else {
        const e = fieldEnd(b, pos, end, delim)
        if (role === ROLE.symbol) {
          if (e === pos) {
            err = 'empty symbol'
            break
          }
          symbol[row] = symbolCode(st, b, pos, e, false)
        }
        pos = e
      }
      if (quoted) {
        if (pos >= end || b[pos] !== 34) {
          err =
            role >= ROLE.open && role <= ROLE.openInterest
              ? `${FIELD_NAMES[role]} is not a number`
              : `${FIELD_NAMES[role]} has text after its closing quote`
          break
        }
        pos++
      }
      f++
      if (pos >= end) break
      const c = b[pos]
      if (c === delim) {
        pos++
        continue
      }
      if (c === 10) {
        pos++
        break
      }
      if (c === 13) {
        pos++
        if (pos < end && b[pos] === 10) pos++
        break
      }
      err = `unexpected byte 0x${c!.toString(16)} in ${FIELD_NAMES[role]}`
      break
    }
    if (err !== '') pos = skipRecord(b, rowStart, end)
    else if (f !== nFields) err = `expected ${nFields} fields, found ${f}`
    if (err !== '') {
      st.issues.push({ file: st.file, line, message: err })
      line++
      continue outer
    }
    row++
    line++
  }
  st.pos = pos
  st.line = line
  return row - first
}

/** Fills rows `[from, to)` of the columns the file lacks with NaN (no symbol column: the fixed code). */
export function fillAbsent(spec: CsvSpec, out: OutColumns, from: number, to: number): void {
  const has = (role: number): boolean => (spec.present & (1 << role)) !== 0
  if (!has(ROLE.open)) out.open.fill(NaN, from, to)
  if (!has(ROLE.high)) out.high.fill(NaN, from, to)
  if (!has(ROLE.low)) out.low.fill(NaN, from, to)
  if (!has(ROLE.volume)) out.volume.fill(NaN, from, to)
  if (out.openInterest !== null && !has(ROLE.openInterest)) out.openInterest.fill(NaN, from, to)
}
