// The quote server's routes: which key a request's faults are decided on, and its normal answer.
import { syntheticQuote } from './_synthetic-quote.ts'
import { normalizeSymbol } from './normalize-symbol.ts'
import type { Quote } from './types.ts'

const QUOTE_CACHE_LIMIT = 100_000

/** A normal answer, before any fault is applied. */
export interface Reply {
  /** HTTP status. */
  status: number
  /** JSON body. */
  body: string
  /** Quotes in the body (for the served counter). */
  quotes: number
}

/** A routed request: the key its faults are decided on, and the function that builds its normal answer. */
export interface Route {
  /** The request key (a symbol, a symbol list, a path). */
  key: string
  /** Builds the normal answer (only called when no fault pre-empts it). */
  reply: () => Reply
}

/** What the routes read: the day's quotes, the known symbols, the batch limit. */
export interface RouteContext {
  /** The day's quotes. */
  book: QuoteBook
  /** Canonical symbols the server knows, or null for every valid ticker. */
  known: ReadonlySet<string> | null
  /** Most symbols in one batch request. */
  maxBatchSize: number
}

/** The synthetic quotes of one (seed, day), each built and serialised once (bounded). */
export class QuoteBook {
  readonly #seed: number
  readonly #day: number
  readonly #cache = new Map<string, { quote: Quote; json: string }>()

  /**
   * @param seed - seed of the synthetic market
   * @param day - trading day, as days since 1970-01-01
   */
  constructor(seed: number, day: number) {
    this.#seed = seed
    this.#day = day
  }

  /**
   * The quote of a canonical symbol and its JSON.
   * @param symbol - canonical symbol
   */
  get(symbol: string): { quote: Quote; json: string } {
    let hit = this.#cache.get(symbol)
    if (hit === undefined) {
      if (this.#cache.size >= QUOTE_CACHE_LIMIT) this.#cache.clear()
      const quote = syntheticQuote(this.#seed, symbol, this.#day)
      hit = { quote, json: JSON.stringify(quote) }
      this.#cache.set(symbol, hit)
    }
    return hit
  }
}

const fixed4 = (x: number): string => x.toFixed(4)

function alphaVantageBody(q: Quote): string {
  const change = q.last - q.previousClose
  return JSON.stringify({
    'Global Quote': {
      '01. symbol': q.symbol,
      '02. open': fixed4(q.open),
      '03. high': fixed4(q.high),
      '04. low': fixed4(q.low),
      '05. price': fixed4(q.last),
      '06. volume': String(q.volume),
      '07. latest trading day': new Date(q.time).toISOString().slice(0, 10),
      '08. previous close': fixed4(q.previousClose),
      '09. change': fixed4(change),
      '10. change percent': `${fixed4((100 * change) / q.previousClose)}%`,
    },
  })
}

const notFound = (message: string): Reply => ({
  status: 404,
  body: JSON.stringify({ error: 'not_found', message }),
  quotes: 0,
})

const badRequest = (message: string): Reply => ({
  status: 400,
  body: JSON.stringify({ error: 'bad_request', message }),
  quotes: 0,
})

/** `GET /quotes/:symbol`: a `Quote`; 400 for an invalid symbol, 404 for an unknown one. */
function quoteRoute(encoded: string, ctx: RouteContext): Route {
  let raw: string
  try {
    raw = decodeURIComponent(encoded)
  } catch {
    raw = encoded
  }
  const symbol = normalizeSymbol(raw)
  return {
    key: symbol ?? raw,
    reply: () => {
      if (symbol === null) return badRequest(`${JSON.stringify(raw)} is not a ticker`)
      if (ctx.known !== null && !ctx.known.has(symbol)) return notFound(`unknown symbol ${symbol}`)
      return { status: 200, body: ctx.book.get(symbol).json, quotes: 1 }
    },
  }
}

/** `GET /quotes?symbols=A,B,C`: `{ quotes, errors }`, at most `maxBatchSize` symbols. */
function batchRoute(params: URLSearchParams, ctx: RouteContext): Route {
  const list = (params.get('symbols') ?? '').split(',').filter((s) => s !== '')
  return {
    key: list.join(','),
    reply: () => {
      if (list.length === 0) return badRequest('symbols= is empty')
      if (list.length > ctx.maxBatchSize) {
        return badRequest(`${list.length} symbols exceed maxBatchSize ${ctx.maxBatchSize}`)
      }
      const parts: string[] = []
      const errors: { symbol: string; code: string; message: string }[] = []
      for (const raw of list) {
        const symbol = normalizeSymbol(raw)
        if (symbol === null) errors.push({ symbol: raw, code: 'invalid_symbol', message: 'not a ticker' })
        else if (ctx.known !== null && !ctx.known.has(symbol)) {
          errors.push({ symbol, code: 'not_found', message: `unknown symbol ${symbol}` })
        } else parts.push(ctx.book.get(symbol).json)
      }
      return {
        status: 200,
        body: `{"quotes":[${parts.join(',')}],"errors":${JSON.stringify(errors)}}`,
        quotes: parts.length,
      }
    },
  }
}

/** `GET /query?function=GLOBAL_QUOTE&symbol=X&apikey=K`: Alpha Vantage's format, its errors as 200s. */
function alphaVantageRoute(params: URLSearchParams, ctx: RouteContext): Route {
  const raw = params.get('symbol') ?? ''
  const symbol = normalizeSymbol(raw)
  const error = (message: string): Reply => ({
    status: 200,
    body: JSON.stringify({ 'Error Message': message }),
    quotes: 0,
  })
  return {
    key: symbol ?? raw,
    reply: () => {
      if (params.get('function') !== 'GLOBAL_QUOTE') return error('This API function does not exist.')
      if (!params.get('apikey')) return error('the parameter apikey is invalid or missing.')
      if (symbol === null) return error('Invalid API call. Please retry or visit the documentation.')
      if (ctx.known !== null && !ctx.known.has(symbol)) return { status: 200, body: '{"Global Quote":{}}', quotes: 0 }
      return { status: 200, body: alphaVantageBody(ctx.book.get(symbol).quote), quotes: 1 }
    },
  }
}

/**
 * Routes a request URL (`/quotes/:symbol`, `/quotes?symbols=`, `/query?...`, `/health`; anything else a 404).
 * @param url - the request's path and query
 * @param ctx - quotes, known symbols, batch limit
 */
export function routeRequest(url: string, ctx: RouteContext): Route {
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const query = (): URLSearchParams => new URLSearchParams(q < 0 ? '' : url.slice(q + 1))
  if (path.startsWith('/quotes/')) return quoteRoute(path.slice(8), ctx)
  if (path === '/quotes') return batchRoute(query(), ctx)
  if (path === '/query') return alphaVantageRoute(query(), ctx)
  if (path === '/health') return { key: '', reply: () => ({ status: 200, body: '{"ok":true}', quotes: 0 }) }
  return { key: path, reply: () => notFound(`no route ${path}`) }
}
