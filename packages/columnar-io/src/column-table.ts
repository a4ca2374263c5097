import { SymbolDictionary } from './_symbol-dictionary.ts'
import type { ColumnTable, CreateColumnTableOptions, SymbolRanges } from './types.ts'

function newInt32(length: number, shared: boolean): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length)
}

function newFloat64(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length)
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new TypeError(`Expected \`length\` to be an integer from 0 up, got \`${String(length)}\` (${typeof length})`)
  }
}

/**
 * A zero-filled table of `length` rows, each column in its own buffer.
 *
 * @param length - Number of rows.
 * @param options - Shared buffers, an open-interest column, the symbol dictionary.
 * @example
 * const t = createColumnTable(2, { shared: true, symbols: ['AAPL'] })
 */
export function createColumnTable(length: number, options: CreateColumnTableOptions = {}): ColumnTable {
  checkLength(length)
  const shared = options.shared ?? false
  return {
    length,
    symbols: options.symbols === undefined ? [] : [...options.symbols],
    symbol: newInt32(length, shared),
    date: newInt32(length, shared),
    open: newFloat64(length, shared),
    high: newFloat64(length, shared),
    low: newFloat64(length, shared),
    close: newFloat64(length, shared),
    volume: newFloat64(length, shared),
    openInterest: options.openInterest === true ? newFloat64(length, shared) : null,
  }
}

/** The numeric columns of a table, open interest last when present. */
function columnsOf(t: ColumnTable): (Int32Array | Float64Array)[] {
  const cols: (Int32Array | Float64Array)[] = [t.symbol, t.date, t.open, t.high, t.low, t.close, t.volume]
  if (t.openInterest !== null) cols.push(t.openInterest)
  return cols
}

/**
 * Whether every column of `table` lives in a SharedArrayBuffer.
 *
 * @param table - The table to inspect.
 */
export function isSharedTable(table: ColumnTable): boolean {
  return columnsOf(table).every((c) => c.buffer instanceof SharedArrayBuffer)
}

/**
 * The table with every column in a SharedArrayBuffer, so worker threads can read it without copying: the table
 * itself when it already is, otherwise a copy of its first `length` rows.
 *
 * @param table - The table to share.
 */
export function toSharedTable(table: ColumnTable): ColumnTable {
  if (isSharedTable(table)) return table
  const out = createColumnTable(table.length, {
    shared: true,
    openInterest: table.openInterest !== null,
    symbols: table.symbols,
  })
  copyRows(table, 0, out, 0, table.length)
  return out
}

function copyRows(from: ColumnTable, start: number, to: ColumnTable, at: number, count: number): void {
  const end = start + count
  to.symbol.set(from.symbol.subarray(start, end), at)
  to.date.set(from.date.subarray(start, end), at)
  to.open.set(from.open.subarray(start, end), at)
  to.high.set(from.high.subarray(start, end), at)
  to.low.set(from.low.subarray(start, end), at)
  to.close.set(from.close.subarray(start, end), at)
  to.volume.set(from.volume.subarray(start, end), at)
  if (to.openInterest !== null) {
    if (from.openInterest === null) to.openInterest.fill(Number.NaN, at, at + count)
    else to.openInterest.set(from.openInterest.subarray(start, end), at)
  }
}

/**
 * The rows of `tables` one after another, with one merged symbol dictionary (first appearance order) and the codes
 * remapped. The result has open interest when any input has; rows from inputs without it get `NaN`.
 *
 * @param tables - Tables to concatenate, in order.
 * @param options - `shared` puts the result in SharedArrayBuffers.
 */
export function concatTables(tables: readonly ColumnTable[], options: { shared?: boolean } = {}): ColumnTable {
  let length = 0
  let openInterest = false
  const dict = new SymbolDictionary()
  const remaps: Int32Array[] = []
  for (const t of tables) {
    length += t.length
    if (t.openInterest !== null) openInterest = true
    remaps.push(dict.remap(t.symbols))
  }
  const symbols = dict.names
  const out = createColumnTable(length, { shared: options.shared ?? false, openInterest, symbols })
  let at = 0
  for (let k = 0; k < tables.length; k++) {
    const t = tables[k]!
    const remap = remaps[k]!
    copyRows(t, 0, out, at, t.length)
    let identity = true
    for (let i = 0; i < remap.length; i++) if (remap[i] !== i) identity = false
    if (!identity) {
      const sym = out.symbol
      for (let i = at, end = at + t.length; i < end; i++) sym[i] = remap[sym[i]!]!
    }
    at += t.length
  }
  return out
}

/**
 * The rows `[start, end)` of a table as a table of `subarray` views (no copy); the symbol dictionary is kept whole.
 *
 * @param t - The table.
 * @param start - First row.
 * @param end - Row after the last.
 */
export function sliceRows(t: ColumnTable, start: number, end: number): ColumnTable {
  return {
    length: end - start,
    symbols: t.symbols,
    symbol: t.symbol.subarray(start, end),
    date: t.date.subarray(start, end),
    open: t.open.subarray(start, end),
    high: t.high.subarray(start, end),
    low: t.low.subarray(start, end),
    close: t.close.subarray(start, end),
    volume: t.volume.subarray(start, end),
    openInterest: t.openInterest === null ? null : t.openInterest.subarray(start, end),
  }
}

/**
 * The rows of one symbol. When its rows are contiguous (as in a table sorted by symbol) the result's columns are
 * zero-copy `subarray` views of the table's; otherwise the rows are gathered into a copy. The dictionary is kept
 * whole so codes stay valid. An unknown symbol gives an empty table.
 *
 * @param table - The table.
 * @param symbol - A symbol name, or a dictionary code.
 */
export function sliceBySymbol(table: ColumnTable, symbol: string | number): ColumnTable {
  const code = typeof symbol === 'number' ? symbol : table.symbols.indexOf(symbol)
  const sym = table.symbol
  const n = table.length
  let first = -1
  let last = -1
  let count = 0
  for (let i = 0; i < n; i++) {
    if (sym[i] === code) {
      if (first < 0) first = i
      last = i
      count++
    }
  }
  if (count === 0) return sliceRows(table, 0, 0)
  if (count === last - first + 1) return sliceRows(table, first, last + 1)
  const out = createColumnTable(count, { openInterest: table.openInterest !== null, symbols: table.symbols })
  out.symbols = table.symbols
  let o = 0
  for (let i = first; i <= last; i++) {
    if (sym[i] !== code) continue
    out.symbol[o] = code
    out.date[o] = table.date[i]!
    out.open[o] = table.open[i]!
    out.high[o] = table.high[i]!
    out.low[o] = table.low[i]!
    out.close[o] = table.close[i]!
    out.volume[o] = table.volume[i]!
    if (out.openInterest !== null) out.openInterest[o] = table.openInterest![i]!
    o++
  }
  return out
}

/**
 * The runs of equal symbol codes in table order: for a table sorted by symbol, one `[starts[k], ends[k])` row range
 * per symbol present (symbols without rows are absent). An unsorted table gives one entry per run.
 *
 * @param table - The table, usually sorted by (symbol, date).
 */
export function symbolRanges(table: ColumnTable): SymbolRanges {
  const sym = table.symbol
  const n = table.length
  let runs = 0
  for (let i = 0; i < n; i++) if (i === 0 || sym[i] !== sym[i - 1]) runs++
  const codes = new Int32Array(runs)
  const starts = new Int32Array(runs)
  const ends = new Int32Array(runs)
  let r = -1
  for (let i = 0; i < n; i++) {
    if (i === 0 || sym[i] !== sym[i - 1]) {
      if (r >= 0) ends[r] = i
      r++
      codes[r] = sym[i]!
      starts[r] = i
    }
  }
  if (r >= 0) ends[r] = n
  return { codes, starts, ends }
}

/** Rank of each dictionary code in code-unit order of the names (ties by code). */
function nameRanks(symbols: readonly string[]): Int32Array {
  const order = Array.from(symbols.keys())
  order.sort((a, b) => {
    const x = symbols[a]!
    const y = symbols[b]!
    return x < y ? -1 : x > y ? 1 : a - b
  })
  const rank = new Int32Array(symbols.length)
  for (let r = 0; r < order.length; r++) rank[order[r]!] = r
  return rank
}

/**
 * Whether the rows are in (symbol name, date) order.
 *
 * @param table - The table to check.
 */
export function isSortedBySymbolDate(table: ColumnTable): boolean {
  const rank = nameRanks(table.symbols)
  const sym = table.symbol
  const date = table.date
  for (let i = 1; i < table.length; i++) {
    const a = rank[sym[i - 1]!]!
    const b = rank[sym[i]!]!
    if (b < a || (b === a && date[i]! < date[i - 1]!)) return false
  }
  return true
}

/**
 * The rows in (symbol name, date) order, stable for equal keys. Returns `table` itself when it is already in order;
 * otherwise a new table whose dictionary is sorted by name (so codes ascend with names) and whose columns are shared
 * when the input's are. Runs in linear time for the usual case of rows already in date order within each symbol.
 *
 * @param table - The table to sort.
 */
export function sortBySymbolDate(table: ColumnTable): ColumnTable {
  if (isSortedBySymbolDate(table)) return table
  const n = table.length
  const rank = nameRanks(table.symbols)
  const m = table.symbols.length
  const symbols = new Array<string>(m)
  for (let c = 0; c < m; c++) symbols[rank[c]!] = table.symbols[c]!
  // Counting sort by rank (stable), then sort any symbol's segment whose dates are out of order.
  const pos = new Int32Array(m + 1)
  const sym = table.symbol
  for (let i = 0; i < n; i++) pos[rank[sym[i]!]! + 1]!++
  for (let r = 0; r < m; r++) pos[r + 1]! += pos[r]!
  const bounds = pos.slice()
  const perm = new Int32Array(n)
  for (let i = 0; i < n; i++) perm[pos[rank[sym[i]!]!]!++] = i
  const date = table.date
  for (let r = 0; r < m; r++) {
    const s = bounds[r]!
    const e = bounds[r + 1]!
    let sorted = true
    for (let k = s + 1; k < e; k++) {
      if (date[perm[k]!]! < date[perm[k - 1]!]!) {
        sorted = false
        break
      }
    }
    if (!sorted) {
      const seg = Array.from(perm.subarray(s, e))
      seg.sort((a, b) => date[a]! - date[b]! || a - b)
      perm.set(seg, s)
    }
  }
  const out = createColumnTable(n, {
    shared: isSharedTable(table),
    openInterest: table.openInterest !== null,
    symbols,
  })
  const gather = (from: Float64Array, to: Float64Array): void => {
    for (let i = 0; i < n; i++) to[i] = from[perm[i]!]!
  }
  for (let i = 0; i < n; i++) {
    const p = perm[i]!
    out.symbol[i] = rank[sym[p]!]!
    out.date[i] = date[p]!
  }
  gather(table.open, out.open)
  gather(table.high, out.high)
  gather(table.low, out.low)
  gather(table.close, out.close)
  gather(table.volume, out.volume)
  if (table.openInterest !== null) gather(table.openInterest, out.openInterest!)
  return out
}
