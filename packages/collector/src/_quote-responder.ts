// The quote server's request handling after the latency: route, fault, throttle, write; and its counters.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { FaultSchedule } from './_fault-schedule.ts'
import type { QuoteServerConfig } from './_quote-server-config.ts'
import { QuoteBook, routeRequest, type Reply, type RouteContext } from './_quote-routes.ts'
import { TokenBucket } from './_token-bucket.ts'
import type { FaultKind, QuoteServerRequest, QuoteServerStats } from './types.ts'

const JSON_HEADERS = { 'content-type': 'application/json' }

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

/** Answers the quote server's requests and keeps its statistics, request log and pending timers. */
export class QuoteResponder {
  /** The live counters (replaced by {@link QuoteResponder.resetStats}). */
  stats: QuoteServerStats = emptyStats()
  /** The request log, when the server records requests. */
  log: QuoteServerRequest[] = []
  readonly #config: QuoteServerConfig
  readonly #routes: RouteContext
  readonly #faults: FaultSchedule
  readonly #bucket: TokenBucket
  readonly #timers = new Set<NodeJS.Timeout>()

  /** @param config - the validated server settings */
  constructor(config: QuoteServerConfig) {
    this.#config = config
    this.#routes = {
      book: new QuoteBook(config.seed, config.day),
      known: config.known,
      maxBatchSize: config.maxBatchSize,
    }
    this.#faults = new FaultSchedule(config.seed, config.rates, config.plan)
    this.#bucket = new TokenBucket(config.requestsPerSecond, config.burst)
  }

  /**
   * Counts a request as it arrives (in flight until its response closes) and logs it when recording.
   * @returns its log entry, or null when not recording
   */
  begin(req: IncomingMessage, res: ServerResponse): QuoteServerRequest | null {
    const stats = this.stats
    stats.requests++
    stats.inFlight++
    if (stats.inFlight > stats.peakInFlight) stats.peakInFlight = stats.inFlight
    let finished = false
    res.once('close', () => {
      if (finished) return
      finished = true
      // The counters in place when the request closes: a reset in between keeps counting what is in flight.
      this.stats.inFlight--
    })
    if (!this.#config.record) return null
    const entry: QuoteServerRequest = { path: req.url ?? '', at: performance.now(), status: 0, fault: null }
    this.log.push(entry)
    return entry
  }

  /**
   * Runs `fn` after `ms`, cancelled by {@link QuoteResponder.cancelTimers}.
   * @param ms - delay in ms
   * @param fn - what to run
   */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      fn()
    }, ms)
    this.#timers.add(timer)
  }

  /** Cancels every pending latency and slow-body timer (on close). */
  cancelTimers(): void {
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
  }

  /** Starts counting afresh, keeping what is in flight and connected now. */
  resetStats(): void {
    const { inFlight, connections } = this.stats
    this.stats = emptyStats()
    this.stats.inFlight = inFlight
    this.stats.connections = connections
    this.log = []
  }

  /**
   * Answers a request: its fault (if any) or the rate limit pre-empt the normal answer.
   * @param entry - its log entry, or null
   */
  respond(req: IncomingMessage, res: ServerResponse, entry: QuoteServerRequest | null): void {
    const { key, reply } = routeRequest(req.url ?? '/', this.#routes)
    const isHealth = req.url === '/health'
    const fault = isHealth ? null : this.#faults.next(key)
    if (fault !== null) this.stats.faults[fault]++
    if (entry) entry.fault = fault
    if (fault === 'reset') {
      this.#count(entry, 0, 0)
      req.socket.destroy()
      return
    }
    const waitSeconds = isHealth ? null : this.#bucket.take()
    if (fault === 'error' || fault === 'rate_limit' || waitSeconds !== null) {
      this.#refuse(res, entry, fault, waitSeconds)
      return
    }
    const r = reply()
    if (r.status === 200) this.stats.quotesServed += r.quotes
    if (r.status !== 200 || fault === null) {
      res.writeHead(r.status, JSON_HEADERS)
      res.end(r.body)
      this.#count(entry, r.status, r.body.length)
      return
    }
    this.#spoil(req, res, entry, fault, r)
  }

  #count(entry: QuoteServerRequest | null, status: number, bytes: number): void {
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1
    this.stats.bytesSent += bytes
    if (entry) entry.status = status
  }

  /** An injected 5xx or 429, or the rate limit's own 429, with a Retry-After. */
  #refuse(res: ServerResponse, entry: QuoteServerRequest | null, fault: FaultKind | null, wait: number | null): void {
    const status = fault === 'error' ? this.#config.errorStatus : 429
    const limited = wait !== null && fault === null
    const body = JSON.stringify({
      error: status === 429 ? 'rate_limited' : 'unavailable',
      message: limited ? 'rate limit exceeded' : 'injected fault',
    })
    const seconds = limited ? wait : this.#config.retryAfterSeconds
    res.writeHead(status, { ...JSON_HEADERS, 'retry-after': this.#retryAfter(seconds) })
    res.end(body)
    this.#count(entry, status, body.length)
  }

  #retryAfter(seconds: number): string {
    if (this.#config.retryAfterFormat === 'seconds') return String(Math.round(seconds * 1000) / 1000)
    return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toUTCString()
  }

  /** A 200 whose body the fault spoils: cut short (malformed), the connection dropped (truncated), or paused. */
  #spoil(
    req: IncomingMessage,
    res: ServerResponse,
    entry: QuoteServerRequest | null,
    fault: FaultKind,
    r: Reply,
  ): void {
    const half = Math.max(1, Math.floor(r.body.length / 2))
    if (fault === 'malformed') {
      const body = r.body.slice(0, half)
      res.writeHead(200, JSON_HEADERS)
      res.end(body)
      this.#count(entry, 200, body.length)
    } else if (fault === 'truncated') {
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(r.body) })
      res.write(r.body.slice(0, half), () => req.socket.destroy())
      this.#count(entry, 200, half)
    } else {
      res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(r.body) })
      res.write(r.body.slice(0, half))
      this.later(this.#config.slowBodyMs, () => res.end(r.body.slice(half)))
      this.#count(entry, 200, r.body.length)
    }
  }
}
