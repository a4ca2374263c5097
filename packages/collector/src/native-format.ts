import { MalformedResponseError } from './errors.ts'
import { validateQuote } from './_validate-quote.ts'
import type { Quote, QuoteFormat, QuoteProblem } from './types.ts'

const NAME = 'ttapi'

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch (error) {
    throw new MalformedResponseError(`${NAME}: body is not JSON (${(error as Error).message})`, { cause: error })
  }
}

function toQuote(raw: unknown, expected: string): Quote | QuoteProblem {
  if (typeof raw !== 'object' || raw === null) {
    return { code: 'malformed', reason: `${NAME}: ${expected}: quote is ${JSON.stringify(raw)}` }
  }
  const r = raw as Record<string, unknown>
  const quote = {
    symbol: r['symbol'],
    time: r['time'],
    bid: r['bid'] ?? null,
    ask: r['ask'] ?? null,
    last: r['last'],
    open: r['open'],
    high: r['high'],
    low: r['low'],
    close: r['close'],
    previousClose: r['previousClose'],
    volume: r['volume'],
  } as Quote
  return validateQuote(quote, expected, NAME)
}

/**
 * The embedded quote server's format (and the one to implement for an in-house source).
 * Single: `GET /quotes/:symbol` answers a `Quote` as JSON, 404 `{ error: 'not_found', message }` when unknown.
 * Batch: `GET /quotes?symbols=A,B,C` answers `{ quotes: Quote[], errors: { symbol, code, message }[] }`.
 */
export const nativeFormat: QuoteFormat = {
  name: NAME,
  maxBatchSize: 100,
  requestPath(symbols: readonly string[]): string {
    if (symbols.length === 1) return `/quotes/${encodeURIComponent(symbols[0]!)}`
    return `/quotes?symbols=${symbols.map(encodeURIComponent).join(',')}`
  },
  parse(body: string, symbols: readonly string[]): (Quote | QuoteProblem)[] {
    const json = parseJson(body)
    if (symbols.length === 1) return [toQuote(json, symbols[0]!)]
    const obj = json as { quotes?: unknown; errors?: unknown } | null
    if (typeof obj !== 'object' || obj === null || !Array.isArray(obj.quotes)) {
      throw new MalformedResponseError(`${NAME}: batch body has no quotes array`)
    }
    const bySymbol = new Map<string, unknown>()
    for (const q of obj.quotes as unknown[]) {
      const s = (q as { symbol?: unknown } | null)?.symbol
      if (typeof s === 'string') bySymbol.set(s, q)
    }
    const errors = new Map<string, QuoteProblem>()
    if (Array.isArray(obj.errors)) {
      for (const e of obj.errors as { symbol?: unknown; code?: unknown; message?: unknown }[]) {
        if (typeof e?.symbol !== 'string') continue
        const code = e.code === 'not_found' ? 'not_found' : 'provider_error'
        errors.set(e.symbol, { code, reason: `${NAME}: ${e.symbol}: ${String(e.message ?? e.code)}` })
      }
    }
    return symbols.map((s) => {
      const q = bySymbol.get(s)
      if (q !== undefined) return toQuote(q, s)
      return errors.get(s) ?? { code: 'malformed', reason: `${NAME}: batch response lacks ${s}` }
    })
  },
  describeError(status: number, body: string): string | null {
    try {
      const e = JSON.parse(body) as { message?: unknown }
      return typeof e.message === 'string' ? `${NAME}: HTTP ${status}: ${e.message}` : null
    } catch {
      return null
    }
  },
}
