import { readFileSync } from 'node:fs'
import { CsvFormatError } from '../errors.ts'
import type { CsvResult, ReadCsvOptions } from '../types.ts'
import { allocSink, countLines, sinkTable } from './_columns.ts'
import { symbolFromPath } from '../_symbol-from-path.ts'
import { ROLE } from '../_column-roles.ts'
import { detectCsv } from './_header.ts'
import { fillAbsent, newParseState, parseRows } from './_parse-rows.ts'

/**
 * Reads one daily OHLCV CSV (a path or its bytes) into a column table on the calling thread.
 * Bad records are skipped and reported in `issues`; a file that is not an OHLCV CSV throws `CsvFormatError`.
 * @param input - a file path, or the file's bytes
 * @param options - symbol, delimiter, date format overrides
 * @example
 * const { table, issues } = readCsv('data/AAPL_data.csv')
 */
export function readCsv(input: string | Uint8Array, options: ReadCsvOptions = {}): CsvResult {
  const file = typeof input === 'string' ? input : (options.name ?? '<bytes>')
  let bytes: Uint8Array
  if (typeof input === 'string') {
    try {
      bytes = readFileSync(input)
    } catch (cause) {
      throw new CsvFormatError(`csv: cannot read ${file}: ${(cause as Error).message}`, file, { cause })
    }
  } else bytes = input
  // A plain Uint8Array keeps the element accesses in parseRows monomorphic (Buffer is a subclass).
  if (Object.getPrototypeOf(bytes) !== Uint8Array.prototype) {
    bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  return parseCsvBytes(bytes, file, options, false)
}

/** Parses a whole CSV file held in memory. */
export function parseCsvBytes(bytes: Uint8Array, file: string, options: ReadCsvOptions, shared: boolean): CsvResult {
  const spec = detectCsv(bytes.subarray(0, 65536), file, options)
  const hasSymbol = (spec.present & (1 << ROLE.symbol)) !== 0
  const hasOi = (spec.present & (1 << ROLE.openInterest)) !== 0
  const cap = countLines(bytes, spec.headerEnd, bytes.length)
  const sink = allocSink(cap, hasOi, shared)
  const st = newParseState(file, hasSymbol ? -1 : 0)
  if (!hasSymbol) st.dict.code(options.symbol ?? symbolFromPath(file))
  const n = parseRows(bytes, spec.headerEnd, bytes.length, spec, sink, 0, cap, 2, st)
  fillAbsent(spec, sink, 0, n)
  return { table: sinkTable(sink, n, st.dict.names), issues: st.issues }
}
