import { normalizeSymbol } from './normalize-symbol.ts'
import type { SymbolIssue } from './types.ts'

/** Normalises symbols one at a time, remembering what it has seen; invalid and repeated inputs become issues. */
export class SymbolFilter {
  readonly issues: SymbolIssue[] = []
  readonly #seen = new Set<string>()

  /** The canonical symbol when it is valid and new, else null (and an issue is recorded). */
  accept(input: string, line: number | null = null): string | null {
    const symbol = normalizeSymbol(input)
    if (symbol === null) {
      this.issues.push({
        input,
        symbol: null,
        kind: 'invalid',
        message: `symbols: ${JSON.stringify(input)} is not a ticker (1-10 letters or digits, optional class suffix like .B)`,
        line,
      })
      return null
    }
    if (this.#seen.has(symbol)) {
      this.issues.push({
        input,
        symbol,
        kind: 'duplicate',
        message: `symbols: ${JSON.stringify(input)} repeats ${symbol}; fetched once`,
        line,
      })
      return null
    }
    this.#seen.add(symbol)
    return symbol
  }
}
