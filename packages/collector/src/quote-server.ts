import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { hash01, mulberry32 } from './_hash.ts'
import { integerOption, numberOption, rateOption } from './_options.ts'
import { syntheticQuote } from './_synthetic-quote.ts'
import { InvalidOptionError } from './errors.ts'
import { normalizeSymbol } from './normalize-symbol.ts'
import type {
  FaultKind,
  Quote,
  QuoteServer,
  QuoteServerOptions,
  QuoteServerRequest,
  QuoteServerStats,
} from './types.ts'

const FAULT_KINDS: readonly FaultKind[] = ['error', 'rate_limit', 'malformed', 'truncated', 'slow_body', 'reset']
const JSON_HEADERS = { 'content-type': 'application/json' }
const QUOTE_CACHE_LIMIT = 100_000

interface Reply {
  status: number
  body: string
  /** Quotes in the body (for the served counter). */
  quotes: number
}

function emptyStats(): QuoteServerStats {
  return {
    requests: 0,
    byStatus: {},
    faults: { error: 0, rate_limit: 0, malformed: 0, truncated: 0, slow_body: 0, reset: 0 },
    quotesServed: 0,
    inFlight: 0,
    peakInFlight: 0,
    connections: 0,
    peakConnections: 0,
    droppedConnections: 0,
    bytesSent: 0,
  }
}

function parseDay(date: string | undefined): number {
  const d = date ?? new Date().toISOString().slice(0, 10)
  const ms = /^\d{4}-\d\d-\d\d$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN
  if (!Number.isFinite(ms)) {
    throw new InvalidOptionError(`collector: Expected \`date\` to be YYYY-MM-DD, got \`${JSON.stringify(date)}\``)
  }
  return Math.floor(ms / 86_400_000)
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

/**
 * Starts the embedded quote server on 127.0.0.1: the default quote source of the pipeline, with realistic latency
 * and injectable faults, deterministic for a seed.
 *
 * Routes: `GET /quotes/:symbol` (a `Quote`; 400 for an invalid symbol, 404 for an unknown one),
 * `GET /quotes?symbols=A,B,C` (`{ quotes, errors }`, at most `maxBatchSize` symbols),
 * `GET /query?function=GLOBAL_QUOTE&symbol=X&apikey=K` (Alpha Vantage's format), `GET /health`.
 * Prices come from the synthetic market: deterministic per (seed, symbol, day).
 * Faults are decided per request from (seed, request key, n-th request for that key), so a run is reproducible
 * whatever the interleaving; `faultPlan` scripts them exactly.
 * @param options - port, seed, day, latency, fault rates, limits (all optional)
 * @example
 * const server = await startQuoteServer({ latencyMs: 5, jitterMs: 0, errorRate: 0.05 })
 * // ... collectQuotes(symbols, { source: server.url })
 * await server.close()
 */
export async function startQuoteServer(options: QuoteServerOptions = {}): Promise<QuoteServer> {
  const port = integerOption('port', options.port, 0, 0)
  const seed = integerOption('seed', options.seed, 0, 1)
  const day = parseDay(options.date)
  const latencyMs = numberOption('latencyMs', options.latencyMs, 0, 50)
  const jitterMs = numberOption('jitterMs', options.jitterMs, 0, 20)
  const rates: [FaultKind, number][] = [
    ['error', rateOption('errorRate', options.errorRate)],
    ['rate_limit', rateOption('rateLimitRate', options.rateLimitRate)],
    ['malformed', rateOption('malformedRate', options.malformedRate)],
    ['truncated', rateOption('truncatedRate', options.truncatedRate)],
    ['slow_body', rateOption('slowBodyRate', options.slowBodyRate)],
    ['reset', rateOption('resetRate', options.resetRate)],
  ]
  const anyRate = rates.some(([, r]) => r > 0)
  const errorStatus = integerOption('errorStatus', options.errorStatus, 500, 503)
  if (errorStatus > 599) {
    throw new InvalidOptionError(`collector: Expected \`errorStatus\` to be a 5xx status, got \`${errorStatus}\``)
  }
  const retryAfterSeconds = numberOption('retryAfterSeconds', options.retryAfterSeconds, 0, 1)
  const retryAfterFormat = options.retryAfterFormat ?? 'seconds'
  if (retryAfterFormat !== 'seconds' && retryAfterFormat !== 'http-date') {
    throw new InvalidOptionError(
      `collector: Expected \`retryAfterFormat\` to be 'seconds' or 'http-date', got \`${String(retryAfterFormat)}\``,
    )
  }
  const slowBodyMs = numberOption('slowBodyMs', options.slowBodyMs, 0, 1000)
  const maxBatchSize = integerOption('maxBatchSize', options.maxBatchSize, 1, 100)
  const maxConnections =
    options.maxConnections === undefined ? undefined : integerOption('maxConnections', options.maxConnections, 1, 1)
  const rps = options.rateLimit
    ? numberOption('rateLimit.requestsPerSecond', options.rateLimit.requestsPerSecond, 0.001, 1)
    : 0
  const burst = options.rateLimit ? numberOption('rateLimit.burst', options.rateLimit.burst, 1, Math.max(1, rps)) : 0
  let known: Set<string> | null = null
  if (options.knownSymbols !== undefined) {
    known = new Set()
    for (const s of options.knownSymbols) {
      const n = normalizeSymbol(s)
      if (n !== null) known.add(n)
    }
  }
  const plan = new Map<string, (FaultKind | null)[]>()
  for (const [key, faults] of Object.entries(options.faultPlan ?? {})) {
    for (const f of faults) {
      if (f !== null && !FAULT_KINDS.includes(f)) {
        throw new InvalidOptionError(
          `collector: Expected \`faultPlan.${key}\` to hold fault kinds, got \`${String(f)}\``,
        )
      }
    }
    plan.set(key, faults)
  }
  const record = options.recordRequests === true

  let stats = emptyStats()
  let log: QuoteServerRequest[] = []
  const seen = new Map<string, number>()
  const jitter = mulberry32(seed ^ 0x5eed)
  const timers = new Set<NodeJS.Timeout>()
  const sockets = new Set<Socket>()
  const quoteCache = new Map<string, { quote: Quote; json: string }>()
  let tokens = burst
  let tokensAt = performance.now()

  const quoteOf = (symbol: string): { quote: Quote; json: string } => {
    let hit = quoteCache.get(symbol)
    if (hit === undefined) {
      if (quoteCache.size >= QUOTE_CACHE_LIMIT) quoteCache.clear()
      const quote = syntheticQuote(seed, symbol, day)
      hit = { quote, json: JSON.stringify(quote) }
      quoteCache.set(symbol, hit)
    }
    return hit
  }

  const chooseFault = (key: string): FaultKind | null => {
    if (!anyRate && plan.size === 0) return null
    const n = seen.get(key) ?? 0
    seen.set(key, n + 1)
    const scripted = plan.get(key)
    if (scripted !== undefined && n < scripted.length) return scripted[n]!
    if (!anyRate) return null
    let u = hash01(seed, key, n)
    for (const [kind, rate] of rates) {
      if (u < rate) return kind
      u -= rate
    }
    return null
  }

  const retryAfterValue = (seconds: number): string => {
    if (retryAfterFormat === 'seconds') return String(Math.round(seconds * 1000) / 1000)
    return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toUTCString()
  }

  const takeToken = (): number | null => {
    if (rps === 0) return null
    const now = performance.now()
    tokens = Math.min(burst, tokens + ((now - tokensAt) * rps) / 1000)
    tokensAt = now
    if (tokens >= 1) {
      tokens -= 1
      return null
    }
    return (1 - tokens) / rps
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

  /** The request key faults are decided on, and the function that builds the normal answer. */
  const route = (url: string): { key: string; reply: () => Reply } => {
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const query = (): URLSearchParams => new URLSearchParams(q < 0 ? '' : url.slice(q + 1))
    if (path.startsWith('/quotes/')) {
      let raw: string
      try {
        raw = decodeURIComponent(path.slice(8))
      } catch {
        raw = path.slice(8)
      }
      const symbol = normalizeSymbol(raw)
      return {
        key: symbol ?? raw,
        reply: () => {
          if (symbol === null) return badRequest(`${JSON.stringify(raw)} is not a ticker`)
          if (known !== null && !known.has(symbol)) return notFound(`unknown symbol ${symbol}`)
          return { status: 200, body: quoteOf(symbol).json, quotes: 1 }
        },
      }
    }
    if (path === '/quotes') {
      const list = (query().get('symbols') ?? '').split(',').filter((s) => s !== '')
      return {
        key: list.join(','),
        reply: () => {
          if (list.length === 0) return badRequest('symbols= is empty')
          if (list.length > maxBatchSize)
            return badRequest(`${list.length} symbols exceed maxBatchSize ${maxBatchSize}`)
          const parts: string[] = []
          const errors: { symbol: string; code: string; message: string }[] = []
          for (const raw of list) {
            const symbol = normalizeSymbol(raw)
            if (symbol === null) errors.push({ symbol: raw, code: 'invalid_symbol', message: 'not a ticker' })
            else if (known !== null && !known.has(symbol)) {
              errors.push({ symbol, code: 'not_found', message: `unknown symbol ${symbol}` })
            } else parts.push(quoteOf(symbol).json)
          }
          return {
            status: 200,
            body: `{"quotes":[${parts.join(',')}],"errors":${JSON.stringify(errors)}}`,
            quotes: parts.length,
          }
        },
      }
    }
    if (path === '/query') {
      const params = query()
      const raw = params.get('symbol') ?? ''
      const symbol = normalizeSymbol(raw)
      return {
        key: symbol ?? raw,
        reply: () => {
          const error = (message: string): Reply => ({
            status: 200,
            body: JSON.stringify({ 'Error Message': message }),
            quotes: 0,
          })
          if (params.get('function') !== 'GLOBAL_QUOTE') return error('This API function does not exist.')
          if (!params.get('apikey')) return error('the parameter apikey is invalid or missing.')
          if (symbol === null) return error('Invalid API call. Please retry or visit the documentation.')
          if (known !== null && !known.has(symbol)) return { status: 200, body: '{"Global Quote":{}}', quotes: 0 }
          return { status: 200, body: alphaVantageBody(quoteOf(symbol).quote), quotes: 1 }
        },
      }
    }
    if (path === '/health') return { key: '', reply: () => ({ status: 200, body: '{"ok":true}', quotes: 0 }) }
    return { key: path, reply: () => notFound(`no route ${path}`) }
  }

  const respond = (req: IncomingMessage, res: ServerResponse, entry: QuoteServerRequest | null): void => {
    const { key, reply } = route(req.url ?? '/')
    const isHealth = req.url === '/health'
    const fault = isHealth ? null : chooseFault(key)
    const count = (status: number, bytes: number): void => {
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1
      stats.bytesSent += bytes
      if (entry) entry.status = status
    }
    if (fault !== null) stats.faults[fault]++
    if (entry) entry.fault = fault
    if (fault === 'reset') {
      count(0, 0)
      req.socket.destroy()
      return
    }
    const waitSeconds = isHealth ? null : takeToken()
    if (fault === 'error' || fault === 'rate_limit' || waitSeconds !== null) {
      const status = fault === 'error' ? errorStatus : 429
      const body = JSON.stringify({
        error: status === 429 ? 'rate_limited' : 'unavailable',
        message: waitSeconds !== null && fault === null ? 'rate limit exceeded' : 'injected fault',
      })
      const seconds = waitSeconds !== null && fault === null ? waitSeconds : retryAfterSeconds
      res.writeHead(status, { ...JSON_HEADERS, 'retry-after': retryAfterValue(seconds) })
      res.end(body)
      count(status, body.length)
      return
    }
    const r = reply()
    if (r.status === 200) stats.quotesServed += r.quotes
    if (r.status !== 200 || fault === null) {
      res.writeHead(r.status, JSON_HEADERS)
      res.end(r.body)
      count(r.status, r.body.length)
      return
    }
    const half = Math.max(1, Math.floor(r.body.length / 2))
    if (fault === 'malformed') {
      const body = r.body.slice(0, half)
      res.writeHead(200, JSON_HEADERS)
      res.end(body)
      count(200, body.length)
    } else if (fault === 'truncated') {
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(r.body) })
      res.write(r.body.slice(0, half), () => req.socket.destroy())
      count(200, half)
    } else {
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(r.body) })
      res.write(r.body.slice(0, half))
      const timer = setTimeout(() => {
        timers.delete(timer)
        res.end(r.body.slice(half))
      }, slowBodyMs)
      timers.add(timer)
      count(200, r.body.length)
    }
  }

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    stats.requests++
    stats.inFlight++
    if (stats.inFlight > stats.peakInFlight) stats.peakInFlight = stats.inFlight
    let finished = false
    const finish = (): void => {
      if (finished) return
      finished = true
      stats.inFlight--
    }
    res.once('close', finish)
    const entry: QuoteServerRequest | null = record
      ? { path: req.url ?? '', at: performance.now(), status: 0, fault: null }
      : null
    if (entry) log.push(entry)
    const delay = latencyMs + (jitterMs > 0 ? (2 * jitter() - 1) * jitterMs : 0)
    if (delay <= 0) respond(req, res, entry)
    else {
      const timer = setTimeout(() => {
        timers.delete(timer)
        respond(req, res, entry)
      }, delay)
      timers.add(timer)
    }
  })
  if (maxConnections !== undefined) server.maxConnections = maxConnections
  server.on('drop', () => {
    stats.droppedConnections++
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    stats.connections++
    if (stats.connections > stats.peakConnections) stats.peakConnections = stats.connections
    socket.once('close', () => {
      sockets.delete(socket)
      stats.connections--
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address !== null ? address.port : port
  let closing: Promise<void> | null = null

  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    stats: (): QuoteServerStats => ({ ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults } }),
    requests: (): readonly QuoteServerRequest[] => log,
    resetStats: (): void => {
      const { inFlight, connections } = stats
      stats = emptyStats()
      stats.inFlight = inFlight
      stats.connections = connections
      log = []
    },
    close: (): Promise<void> => {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      return closing
    },
  }
}
