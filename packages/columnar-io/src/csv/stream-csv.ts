import { open } from 'node:fs/promises'
import { CsvFormatError } from '../errors.ts'
import type { CsvResult, StreamCsvOptions } from '../types.ts'
import { allocSink, countLines, sinkTable } from './_columns.ts'
import { symbolFromPath } from '../_symbol-from-path.ts'
import { ROLE } from '../_column-roles.ts'
import { detectCsv } from './_header.ts'
import { fillAbsent, newParseState, parseRows } from './_parse-rows.ts'

/** Offset just past the last line feed outside quotes in `b[0, end)` (which starts at a record), or 0. */
function lastRecordEnd(b: Uint8Array, end: number): number {
  let q = false
  let last = 0
  for (let i = 0; i < end; i++) {
    const c = b[i]
    if (c === 34) q = !q
    else if (c === 10 && !q) last = i + 1
  }
  return last
}

/**
 * Reads a CSV file in batches with bounded memory: each step reads about `batchBytes`, parses the complete records
 * in it and yields them as a column table, carrying a partial last record over to the next step. Symbol codes are
 * stable across batches (each batch's `symbols` is the dictionary so far). Issues come with the batch they occur in.
 * @param path - the CSV file
 * @param options - batch size and the `readCsv` options
 * @example
 * for await (const { table } of streamCsv('big.csv')) total += table.length
 */
export async function* streamCsv(path: string, options: StreamCsvOptions = {}): AsyncGenerator<CsvResult> {
  const batchBytes = Math.max(1 << 16, options.batchBytes ?? 4 << 20)
  let fh
  try {
    fh = await open(path, 'r')
  } catch (cause) {
    throw new CsvFormatError(`csv: cannot read ${path}: ${(cause as Error).message}`, path, { cause })
  }
  try {
    let buf = new Uint8Array(batchBytes * 2)
    let len = 0
    let filePos = 0
    let eof = false
    const fill = async (): Promise<void> => {
      if (buf.length - len < batchBytes) {
        const next = new Uint8Array(len + batchBytes * 2)
        next.set(buf.subarray(0, len))
        buf = next
      }
      const { bytesRead } = await fh.read(buf, len, batchBytes, filePos)
      len += bytesRead
      filePos += bytesRead
      if (bytesRead === 0) eof = true
    }
    await fill()
    const spec = detectCsv(buf.subarray(0, Math.min(len, 65536)), path, options)
    const hasSymbol = (spec.present & (1 << ROLE.symbol)) !== 0
    const hasOi = (spec.present & (1 << ROLE.openInterest)) !== 0
    const st = newParseState(path, hasSymbol ? -1 : 0)
    if (!hasSymbol) st.dict.code(options.symbol ?? symbolFromPath(path))
    buf.copyWithin(0, spec.headerEnd, len)
    len -= spec.headerEnd
    let line = 2
    for (;;) {
      if (!eof) await fill()
      const cut = eof ? len : lastRecordEnd(buf, len)
      if (cut > 0) {
        const cap = countLines(buf, 0, cut)
        const sink = allocSink(cap, hasOi, false)
        const n = parseRows(buf, 0, cut, spec, sink, 0, cap, line, st)
        line = st.line
        fillAbsent(spec, sink, 0, n)
        const issues = st.issues
        st.issues = []
        if (n > 0 || issues.length > 0) yield { table: sinkTable(sink, n, st.dict.names.slice()), issues }
        buf.copyWithin(0, cut, len)
        len -= cut
      }
      if (eof && len === 0) break
    }
  } finally {
    await fh.close()
  }
}
