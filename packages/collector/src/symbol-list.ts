import { readFile } from 'node:fs/promises'
import { parseCsv } from './_csv.ts'
import { SymbolFilter } from './_symbol-filter.ts'
import { SymbolFileError } from './errors.ts'
import { sp500Symbols } from './sp500-symbols.ts'
import type { SymbolList } from './types.ts'

/**
 * Canonical, unique symbols from a list; invalid and duplicate entries are returned as issues, not thrown.
 * @param input - symbols as written (`BRK-B` and `BRK.B` are the same symbol)
 * @example symbolList(['AAPL', 'brk-b', 'BRK.B', '^GSPC']) // symbols ['AAPL', 'BRK.B'], issues: duplicate, invalid
 */
export function symbolList(input: Iterable<string>): SymbolList {
  const filter = new SymbolFilter()
  const symbols: string[] = []
  for (const s of input) {
    const symbol = filter.accept(s)
    if (symbol !== null) symbols.push(symbol)
  }
  return { symbols, issues: filter.issues }
}

/**
 * Symbols from file contents: either one symbol a line (blank lines and `#` comments skipped, a first line reading
 * `Symbol` taken as a header), or a CSV whose header has a `Symbol` column (case-insensitive). A CSV is recognised by
 * a comma in its first non-blank line.
 * @param text - the file contents
 * @param name - the file name, for messages
 * @throws SymbolFileError when the text is a CSV without a `Symbol` column
 */
export function parseSymbolText(text: string, name = '<text>'): SymbolList {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const filter = new SymbolFilter()
  const symbols: string[] = []
  const firstLine = /^[^\r\n]*\S[^\r\n]*$/m.exec(body)?.[0] ?? ''
  if (firstLine.includes(',')) {
    const rows = parseCsv(body)
    const header = rows[0]?.fields ?? []
    const col = header.findIndex((h) => h.trim().toLowerCase() === 'symbol')
    if (col < 0) {
      throw new SymbolFileError(
        `symbols: ${name} looks like a CSV but its header has no Symbol column (got ${JSON.stringify(header.slice(0, 8))})`,
      )
    }
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!
      const symbol = filter.accept(row.fields[col] ?? '', row.line)
      if (symbol !== null) symbols.push(symbol)
    }
  } else {
    const lines = body.split(/\r?\n/)
    let first = true
    for (let i = 0; i < lines.length; i++) {
      const s = lines[i]!.trim()
      if (s === '' || s.startsWith('#')) continue
      // A one-column CSV has no comma: its `Symbol` header is a header, not the ticker SYMBOL.
      if (first && s.toLowerCase() === 'symbol') {
        first = false
        continue
      }
      first = false
      const symbol = filter.accept(s, i + 1)
      if (symbol !== null) symbols.push(symbol)
    }
  }
  return { symbols, issues: filter.issues }
}

/**
 * Reads a symbol file (see `parseSymbolText` for the two layouts).
 * @param path - path of the file
 * @throws SymbolFileError when the file cannot be read or is a CSV without a `Symbol` column
 */
export async function readSymbolFile(path: string): Promise<SymbolList> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new SymbolFileError(`symbols: cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  return parseSymbolText(text, path)
}

/**
 * A symbol universe by name, from a file, or from a list.
 * @param spec - `'sp500'` (shipped with the package), `{ file: path }`, or an array of symbols
 * @example await loadSymbols('sp500') // 503 symbols, no issues
 */
export async function loadSymbols(spec: 'sp500' | { file: string } | readonly string[]): Promise<SymbolList> {
  if (spec === 'sp500') return { symbols: [...sp500Symbols], issues: [] }
  if (Array.isArray(spec)) return symbolList(spec as readonly string[])
  return readSymbolFile((spec as { file: string }).file)
}
