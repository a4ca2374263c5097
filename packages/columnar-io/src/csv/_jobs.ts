// The two passes of a parallel CSV import, as plain functions over file byte ranges: `scanRange` counts line feeds
// and quotes (so the importer can place every part's rows exactly), `parseRange` parses a part into shared columns.
// Both run in workers (`_worker.ts`) or, for small imports, on the calling thread.
import { closeSync, openSync, readSync } from 'node:fs'
import type { CsvIssue } from '../types.ts'
import { detectCsv, type CsvSpec, type DetectOptions } from './_header.ts'
import type { OutColumns } from '../_out-columns.ts'
import { fillAbsent, newParseState, parseRows } from './_parse-rows.ts'

/** Pass 1 input: a raw byte range of a file; `detect` reads the header too (the range starts at 0). */
export interface ScanTask {
  path: string
  start: number
  end: number
  detect: boolean
  options: DetectOptions
}

/**
 * Pass 1 output. Line feeds are counted separately by the quote parity in front of them inside the range
 * (`nl0` even, `nl1` odd), with the first of each, so the importer can tell which are outside quotes once it knows
 * the parity at the range start.
 */
export interface ScanResult {
  quotes: number
  nl0: number
  nl1: number
  first0: number
  first1: number
  lastByte: number
  spec: CsvSpec | null
  error: string | null
}

/** Pass 2 input: records in `[start, end)` go to rows `[row, limit)` of the shared columns. */
export interface ParseTask {
  path: string
  start: number
  end: number
  row: number
  limit: number
  line: number
  spec: CsvSpec
  fixed: number
}

/** Pass 2 output: rows written from `row`, issues, and the local symbol dictionary when the file has a symbol column. */
export interface ParseResult {
  written: number
  issues: CsvIssue[]
  symbols: string[]
}

let scratch = Buffer.alloc(0)

/** Reads `[start, end)` of a file into a reused buffer (valid until the next call). */
function readRange(path: string, start: number, end: number): Buffer {
  const len = end - start
  // Buffer.allocUnsafeSlow: its own ArrayBuffer at offset 0, so the Uint32Array view in countLineFeeds is aligned.
  if (scratch.length < len) scratch = Buffer.allocUnsafeSlow(Math.max(len, Math.min(scratch.length * 2, 64 << 20)))
  const fd = openSync(path, 'r')
  try {
    let got = 0
    while (got < len) {
      const n = readSync(fd, scratch, got, len - got, start + got)
      if (n === 0) break
      got += n
    }
    return scratch.subarray(0, got)
  } finally {
    closeSync(fd)
  }
}

/** Pass 1 over one range. */
export function scanRange(task: ScanTask): ScanResult {
  const b = readRange(task.path, task.start, task.end)
  let spec: CsvSpec | null = null
  let error: string | null = null
  if (task.detect) {
    try {
      spec = detectCsv(b.subarray(0, 65536), task.path, task.options)
    } catch (e) {
      error = (e as Error).message
    }
  }
  if (b.indexOf(34) < 0) {
    // No quotes (the usual case): every line feed is a record end; count them four bytes at a time.
    const first = b.indexOf(10)
    return {
      quotes: 0,
      nl0: countLineFeeds(b),
      nl1: 0,
      first0: first < 0 ? -1 : first + task.start,
      first1: -1,
      lastByte: b.length > 0 ? b[b.length - 1]! : -1,
      spec,
      error,
    }
  }
  let quotes = 0
  let nl0 = 0
  let nl1 = 0
  let first0 = -1
  let first1 = -1
  let odd = 0
  const n = b.length
  for (let i = 0; i < n; i++) {
    const c = b[i]!
    if (c === 10) {
      if (odd === 0) {
        if (nl0 === 0) first0 = i
        nl0++
      } else {
        if (nl1 === 0) first1 = i
        nl1++
      }
    } else if (c === 34) {
      odd ^= 1
      quotes++
    }
  }
  return {
    quotes,
    nl0,
    nl1,
    first0: first0 < 0 ? -1 : first0 + task.start,
    first1: first1 < 0 ? -1 : first1 + task.start,
    lastByte: n > 0 ? b[n - 1]! : -1,
    spec,
    error,
  }
}

/** Line feeds in `b` (whose byteOffset is a multiple of 4), by SWAR zero-byte detection on 32-bit words. */
function countLineFeeds(b: Buffer): number {
  const n4 = b.length >>> 2
  const words = new Uint32Array(b.buffer, b.byteOffset, n4)
  let n = 0
  for (let i = 0; i < n4; i++) {
    const y = words[i]! ^ 0x0a0a0a0a
    const z = ~(((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y) & 0x80808080
    if (z !== 0) n += Math.imul(z >>> 7, 0x01010101) >>> 24
  }
  for (let i = n4 * 4; i < b.length; i++) if (b[i] === 10) n++
  return n
}

/** Pass 2 over one range, into `sink`. */
export function parseRange(task: ParseTask, sink: OutColumns): ParseResult {
  const buf = readRange(task.path, task.start, task.end)
  // A plain Uint8Array keeps the element accesses in parseRows monomorphic (Buffer is a subclass).
  const b = new Uint8Array(buf.buffer, buf.byteOffset, buf.length)
  const st = newParseState(task.path, task.fixed)
  const written = parseRows(b, 0, b.length, task.spec, sink, task.row, task.limit, task.line, st)
  fillAbsent(task.spec, sink, task.row, task.row + written)
  return { written, issues: st.issues, symbols: st.dict.names }
}
