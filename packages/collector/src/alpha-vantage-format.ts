import { InvalidOptionError, MalformedResponseError } from './errors.ts'
import { normalizeSymbol } from './normalize-symbol.ts'
import { validateQuote } from './_validate-quote.ts'
import type { AlphaVantageFormatOptions, Quote, QuoteFormat, QuoteProblem } from './types.ts'

const NAME = 'alpha-vantage-global-quote'

function num(g: Record<string, unknown>, key: string, symbol: string): number {
  const v = g[key]
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  if (!Number.isFinite(n)) throw new MalformedResponseError(`${NAME}: ${symbol}: "${key}" is ${JSON.stringify(v)}`)
  return n
}

/**
 * Alpha Vantage's Quote Endpoint (`function=GLOBAL_QUOTE`), documented at
 * https://www.alphavantage.co/documentation/#latestprice. One symbol per request; the answer is
 * `{ "Global Quote": { "01. symbol": "IBM", "02. open": "...", ..., "05. price": "...", "06. volume": "...",
 * "07. latest trading day": "YYYY-MM-DD", "08. previous close": "...", ... } }` with every value a string.
 * An unknown symbol answers `{ "Global Quote": {} }` (`not_found`); errors and throttling answer 200 with
 * `Error Message`, `Note` or `Information` (`provider_error`). The format has no bid or ask: they are null.
 * @param options - API key and the hour stamped on quotes
 */
export function alphaVantageFormat(options: AlphaVantageFormatOptions = {}): QuoteFormat {
  const apiKey = options.apiKey ?? 'demo'
  const closeHour = options.closeHourUtc ?? 21
  if (!Number.isInteger(closeHour) || closeHour < 0 || closeHour > 23) {
    throw new InvalidOptionError(
      `collector: Expected \`closeHourUtc\` to be an integer from 0 to 23, got \`${String(closeHour)}\``,
    )
  }
  return {
    name: NAME,
    maxBatchSize: 1,
    requestPath(symbols: readonly string[]): string {
      return `/query?function=GLOBAL_QUOTE&symbol=${encodeURIComponent(symbols[0]!)}&apikey=${encodeURIComponent(apiKey)}`
    },
    parse(body: string, symbols: readonly string[]): (Quote | QuoteProblem)[] {
      const symbol = symbols[0]!
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch (error) {
        throw new MalformedResponseError(`${NAME}: body is not JSON (${(error as Error).message})`, { cause: error })
      }
      if (typeof json !== 'object' || json === null) throw new MalformedResponseError(`${NAME}: body is not an object`)
      const obj = json as Record<string, unknown>
      for (const key of ['Error Message', 'Note', 'Information']) {
        if (typeof obj[key] === 'string') {
          return [{ code: 'provider_error', reason: `${NAME}: ${symbol}: ${key}: ${obj[key]}` }]
        }
      }
      const g = obj['Global Quote']
      if (typeof g !== 'object' || g === null) throw new MalformedResponseError(`${NAME}: body has no "Global Quote"`)
      const gq = g as Record<string, unknown>
      if (Object.keys(gq).length === 0) return [{ code: 'not_found', reason: `${NAME}: ${symbol}: empty Global Quote` }]
      const day = gq['07. latest trading day']
      const time = typeof day === 'string' && /^\d{4}-\d\d-\d\d$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN
      if (!Number.isFinite(time)) {
        throw new MalformedResponseError(`${NAME}: ${symbol}: "07. latest trading day" is ${JSON.stringify(day)}`)
      }
      const price = num(gq, '05. price', symbol)
      const quote: Quote = {
        symbol: normalizeSymbol(String(gq['01. symbol'])) ?? String(gq['01. symbol']),
        time: time + closeHour * 3_600_000,
        bid: null,
        ask: null,
        last: price,
        open: num(gq, '02. open', symbol),
        high: num(gq, '03. high', symbol),
        low: num(gq, '04. low', symbol),
        close: price,
        previousClose: num(gq, '08. previous close', symbol),
        volume: num(gq, '06. volume', symbol),
      }
      return [validateQuote(quote, symbol, NAME)]
    },
  }
}
