import type { TtlCache } from '@ttapi/cache'
// Public types and option interfaces of @ttapi/collector.

/** One quote for one symbol: the latest trading day's bar plus the top of the book. */
export interface Quote {
  /** Canonical symbol: upper case, class shares with a dot (`BRK.B`). */
  symbol: string
  /** When the quote was taken, in milliseconds since 1970-01-01 UTC. */
  time: number
  /** Best bid, or null when the source does not publish one (e.g. Alpha Vantage GLOBAL_QUOTE). */
  bid: number | null
  /** Best ask, or null when the source does not publish one. */
  ask: number | null
  /** Last traded price. */
  last: number
  /** The day's open. */
  open: number
  /** The day's high; at least max(open, close). */
  high: number
  /** The day's low; at most min(open, close). */
  low: number
  /** The day's close (equal to `last` once the day is over). */
  close: number
  /** The previous trading day's close. */
  previousClose: number
  /** Shares traded during the day. */
  volume: number
}

/** Why a symbol was not collected. Callers branch on it; `reason` is the human-readable text. */
export type FailureCode =
  /** The server answered with a status that is not 2xx and not retryable, or retries ran out. */
  | 'http_status'
  /** The server does not know the symbol (404, or the format's "unknown symbol" answer). */
  | 'not_found'
  /** The provider answered 200 with an error message of its own (e.g. Alpha Vantage's `Note`). */
  | 'provider_error'
  /** The body was not the format's shape (bad JSON, missing or wrong-typed fields, absurd prices). */
  | 'malformed'
  /** The connection closed before the announced body length arrived. */
  | 'truncated'
  /** The connection failed before a response (reset, refused, closed by the server). */
  | 'connection'
  /** One attempt took longer than `timeoutMs`. */
  | 'timeout'
  /** The overall deadline passed before the symbol was collected. */
  | 'deadline'
  /** The caller's `AbortSignal` fired. Never retried. */
  | 'aborted'

/** A symbol that was not collected, with everything known about why. */
export interface QuoteFailure {
  /** Canonical symbol. */
  symbol: string
  /** Machine-readable category. */
  code: FailureCode
  /** Human-readable reason, naming the status, error code or field. */
  reason: string
  /** HTTP requests made for this symbol (0 when it was never requested, e.g. after an abort). */
  attempts: number
  /** Status of the last response received, or null when none was. */
  lastStatus: number | null
  /** The first bytes of the offending body (malformed, truncated or error responses), or null. */
  excerpt: string | null
}

/** The result for one symbol from a `QuoteSource`: a tagged union keyed by `state`. */
export type QuoteOutcome =
  | { state: 'ok'; symbol: string; quote: Quote; attempts: number }
  | { state: 'failed'; symbol: string; failure: QuoteFailure }

/** Counters a `QuoteSource` adds to while it works; pass one per collection to get that collection's figures. */
export interface FetchCounters {
  /** HTTP requests started (every attempt counts). */
  requests: number
  /** Attempts that were retries (requests minus first attempts). */
  retries: number
  /** Response body bytes received. */
  bytes: number
  /** Requests in flight right now. */
  inFlight: number
  /** Highest `inFlight` seen. */
  maxInFlight: number
}

/** Reported before each retry, after the wait has been chosen. */
export interface RetryEvent {
  /** The symbols of the request being retried. */
  symbols: readonly string[]
  /** The attempt that failed, from 1. */
  attempt: number
  /** HTTP status of the failed attempt, or null for a connection error. */
  status: number | null
  /** Why it failed (`http_status`, `connection`, ...), with detail. */
  reason: string
  /** The wait before the next attempt, in ms. */
  delayMs: number
  /** The server's `Retry-After`, in ms, when it sent one. */
  retryAfterMs: number | null
}

/** Per-call options of a `QuoteSource`. */
export interface FetchOptions {
  /** Cancels the fetch; in-flight requests are aborted and never retried. */
  signal?: AbortSignal
  /** Absolute deadline in `performance.now()` milliseconds; no attempt or wait runs past it. */
  deadline?: number
  /** Counters to add this call's requests, retries and bytes to. */
  counters?: FetchCounters
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void
}

/**
 * Anything that fetches quotes. Expected failures are returned as outcomes, never thrown; only a programming error
 * (bad arguments) throws.
 */
export interface QuoteSource {
  /** Most symbols one request may carry; 1 when the source has no batch endpoint. */
  readonly maxBatchSize: number
  /** Most requests this source keeps in flight at once. */
  readonly concurrency: number
  /** Fetches one symbol (already canonical). */
  fetchQuote(symbol: string, options?: FetchOptions): Promise<QuoteOutcome>
  /** Fetches many symbols, `maxBatchSize` per request; one outcome per symbol, in the order given. */
  fetchQuotes(symbols: readonly string[], options?: FetchOptions): Promise<QuoteOutcome[]>
  /** Releases connections; the source is unusable afterwards. */
  close(): Promise<void>
}

/** A per-symbol problem a format found in an otherwise well-formed response. */
export interface QuoteProblem {
  /** `not_found`, `provider_error` or `malformed`. */
  code: 'not_found' | 'provider_error' | 'malformed'
  /** Human-readable detail. */
  reason: string
}

/**
 * A provider's wire format: how to ask for symbols and how to read the answer. `parse` throws
 * `MalformedResponseError` when the whole body is unusable.
 */
export interface QuoteFormat {
  /** Short name used in messages, e.g. `ttapi` or `alpha-vantage-global-quote`. */
  readonly name: string
  /** Most symbols one request may carry; 1 when the provider has no batch endpoint. */
  readonly maxBatchSize: number
  /** Path and query (starting with `/`) of the request for these symbols. */
  requestPath(symbols: readonly string[]): string
  /** Reads a 2xx body: one `Quote` or `QuoteProblem` per requested symbol, in the order requested. */
  parse(body: string, symbols: readonly string[]): (Quote | QuoteProblem)[]
  /** Reads the body of a 404 or other error status for a better reason; optional. */
  describeError?(status: number, body: string): string | null
}

/** Options of `alphaVantageFormat(options)`. */
export interface AlphaVantageFormatOptions {
  /** The `apikey` query parameter. @default 'demo' */
  apiKey?: string
  /** UTC hour stamped on quotes: GLOBAL_QUOTE gives only the trading day. @default 21 (16:00 New York, winter) */
  closeHourUtc?: number
}

/** Options of `new HttpQuoteSource(options)`. */
export interface HttpQuoteSourceOptions {
  /** Origin of the quote server, e.g. `http://127.0.0.1:8080` (a path prefix is kept). */
  url: string
  /** Wire format. @default nativeFormat (the embedded quote server's) */
  format?: QuoteFormat
  /** Most requests in flight at once; also the keep-alive pool's connection count. @default 100 */
  concurrency?: number
  /**
   * Per-attempt timeout in ms: the longest wait for the response headers, and for each next piece of the body
   * (undici `headersTimeout` / `bodyTimeout`). Bound the total with a deadline. @default 10000
   */
  timeoutMs?: number
  /** Retries after the first attempt, for retryable failures only. @default 3 */
  retries?: number
  /** Statuses that are retried. @default [429, 502, 503, 504] */
  retryStatuses?: readonly number[]
  /** Base of the exponential backoff: attempt n waits uniform(0, min(max, base * 2^(n-1))) ms. @default 100 */
  backoffBaseMs?: number
  /** Cap of the exponential backoff, in ms. @default 5000 */
  backoffMaxMs?: number
  /** A `Retry-After` longer than this fails the symbol instead of waiting. @default 60000 */
  maxRetryAfterMs?: number
  /** Bodies longer than this are failures (`malformed`), protecting memory. @default 4194304 */
  maxBodyBytes?: number
  /** Extra request headers. */
  headers?: Record<string, string>
  /** Source of randomness for the backoff jitter, returning [0, 1). @default Math.random */
  random?: () => number
}

/** Progress of a collection, reported after each request completes. */
export interface CollectProgress {
  /** Symbols finished (collected or failed). */
  done: number
  /** Symbols in the input when known up front (an array), else null. */
  total: number | null
  /** Symbols collected. */
  ok: number
  /** Symbols failed. */
  failed: number
  /** Requests in flight right now. */
  inFlight: number
}

/** Options of `collectQuotes(symbols, options)`. */
export interface CollectQuotesOptions {
  /** Where quotes come from: a `QuoteSource`, or a base URL (then an `HttpQuoteSource` is made and closed). */
  source: QuoteSource | string
  /** Options of the `HttpQuoteSource` made when `source` is a URL. */
  http?: Omit<HttpQuoteSourceOptions, 'url'>
  /** Most requests in flight at once. @default the source's `concurrency` (100 for `HttpQuoteSource`) */
  concurrency?: number
  /** Symbols per request; capped by the source's `maxBatchSize`. @default 1 */
  batchSize?: number
  /** Overall deadline in ms from the call; symbols not collected by then fail with `deadline`. @default no deadline */
  deadlineMs?: number
  /** Cancels the collection: in-flight requests are aborted, the rest fail with `aborted`; the promise resolves. */
  signal?: AbortSignal
  /** Called after each request completes. */
  onProgress?: (progress: CollectProgress) => void
  /** Called before each retry. */
  onRetry?: (event: RetryEvent) => void
}

/** A symbol from the input that was not fetched, and why. */
export interface SymbolIssue {
  /** The input exactly as given. */
  input: string
  /** Its canonical form, or null when it is invalid. */
  symbol: string | null
  /** `invalid` (not a ticker) or `duplicate` (already seen, so not fetched again). */
  kind: 'invalid' | 'duplicate'
  /** Human-readable reason. */
  message: string
  /** Line number (from 1) in the file it came from, or null. */
  line: number | null
}

/** Canonical, unique symbols plus the issues found while reading them. */
export interface SymbolList {
  /** Canonical symbols, first occurrence order, no duplicates. */
  symbols: string[]
  /** Invalid and duplicate inputs. */
  issues: SymbolIssue[]
}

/** Figures of one collection. */
export interface CollectStats {
  /** Unique valid symbols attempted. */
  symbols: number
  /** HTTP requests made, retries included. */
  requests: number
  /** Of those, retries. */
  retries: number
  /** Response body bytes received. */
  bytes: number
  /** Wall time of the call, in ms. */
  elapsedMs: number
  /** Highest number of requests in flight at once. */
  maxInFlight: number
}

/** What `collectQuotes` returns: every valid symbol is in exactly one of `quotes` and `failures`. */
export interface CollectQuotesResult {
  /** Collected quotes, in input order. */
  quotes: Quote[]
  /** Symbols not collected, in input order, each with its reason. */
  failures: QuoteFailure[]
  /** Invalid and duplicate inputs (never fetched). */
  issues: SymbolIssue[]
  /** Figures of the run. */
  stats: CollectStats
}

/** A fault the quote server can inject into a response. */
export type FaultKind =
  /** A 5xx status (`errorStatus`) with `Retry-After`. */
  | 'error'
  /** 429 with `Retry-After`. */
  | 'rate_limit'
  /** 200 with a body that is not the format (cut JSON). */
  | 'malformed'
  /** 200 announcing the full `Content-Length`, then half the body and a closed connection. */
  | 'truncated'
  /** 200 whose body arrives in two halves `slowBodyMs` apart. */
  | 'slow_body'
  /** The connection is destroyed without a response. */
  | 'reset'

/** Options of `startQuoteServer(options)`; all JSON-serialisable, so they pass to a child process unchanged. */
export interface QuoteServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number
  /** Seed of prices and of fault injection. @default 1 */
  seed?: number
  /** Trading day the quotes are for, `YYYY-MM-DD` (UTC). @default today (UTC) */
  date?: string
  /** Fixed part of the latency before each response, in ms. @default 50 */
  latencyMs?: number
  /** Uniform jitter added to the latency: uniform(-jitterMs, +jitterMs), never below 0. @default 20 */
  jitterMs?: number
  /** Fraction of requests answered with `errorStatus`. @default 0 */
  errorRate?: number
  /** Status of injected errors. @default 503 */
  errorStatus?: number
  /** Fraction of requests answered 429. @default 0 */
  rateLimitRate?: number
  /** `Retry-After` sent with 429 and injected 5xx, in seconds (decimals allowed). @default 1 */
  retryAfterSeconds?: number
  /** Write `Retry-After` as delay-seconds or as an HTTP-date (whole seconds, rounded up). @default 'seconds' */
  retryAfterFormat?: 'seconds' | 'http-date'
  /** Fraction of 200 responses with a malformed body. @default 0 */
  malformedRate?: number
  /** Fraction of 200 responses cut short (connection closed mid-body). @default 0 */
  truncatedRate?: number
  /** Fraction of 200 responses whose body is sent slowly. @default 0 */
  slowBodyRate?: number
  /** Pause between the two halves of a slow body, in ms. @default 1000 */
  slowBodyMs?: number
  /** Fraction of requests whose connection is destroyed without an answer. @default 0 */
  resetRate?: number
  /** Token-bucket rate limit: beyond it, 429 with `Retry-After` until the next token. @default none */
  rateLimit?: { requestsPerSecond: number; burst?: number }
  /** Most open connections; further connections are closed at once. @default unlimited */
  maxConnections?: number
  /** Most symbols per batch request. @default 100 */
  maxBatchSize?: number
  /** When given, only these symbols exist; others get 404 / the format's not-found answer. @default every valid symbol */
  knownSymbols?: readonly string[]
  /**
   * Scripted faults: key is the symbol (single requests) or the comma-joined symbols (batch requests); the n-th
   * request for that key gets the n-th fault, `null` for none. Applied before the random rates.
   * @example { AAPL: ['rate_limit', null], MSFT: ['truncated'] }
   */
  faultPlan?: Record<string, (FaultKind | null)[]>
  /** Keep a log of every request (path, arrival time, status) for tests. @default false */
  recordRequests?: boolean
}

/** One request the quote server saw (when `recordRequests` is on). */
export interface QuoteServerRequest {
  /** Path and query. */
  path: string
  /** Arrival time in the server's `performance.now()` ms. */
  at: number
  /** Status sent, or 0 when the connection was reset. */
  status: number
  /** Fault injected, or null. */
  fault: FaultKind | null
}

/** Counters of a running quote server. */
export interface QuoteServerStats {
  /** Requests received. */
  requests: number
  /** Responses by status code (as a string key). */
  byStatus: Record<string, number>
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>
  /** Quotes served in 200 responses (a batch counts each symbol). */
  quotesServed: number
  /** Requests being handled right now. */
  inFlight: number
  /** Highest `inFlight` seen. */
  peakInFlight: number
  /** Connections open right now. */
  connections: number
  /** Highest `connections` seen. */
  peakConnections: number
  /** Connections closed at once because of `maxConnections`. */
  droppedConnections: number
  /** Response bytes written. */
  bytesSent: number
}

/** A running quote server. */
export interface QuoteServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string
  /** The port it listens on. */
  port: number
  /** A snapshot of the counters. */
  stats(): QuoteServerStats
  /** Every request seen, when `recordRequests` is on (else empty). */
  requests(): readonly QuoteServerRequest[]
  /** Zeroes the counters and the request log (not the fault-plan positions). */
  resetStats(): void
  /** Stops listening, cancels pending responses and closes every connection. */
  close(): Promise<void>
}

/** A quote server running in a child process. */
export interface QuoteServerProcess {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string
  /** The child's process id. */
  pid: number
  /** Asks the child for its counters. */
  stats(): Promise<QuoteServerStats>
  /** Stops the child (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. */
  stop(): Promise<void>
}

/** Quotes stored as columns: one `Float64Array` per numeric field, `bid`/`ask` NaN where the quote had null. */
export interface QuoteColumns {
  /** Layout version of this record. */
  version: 1
  /** Number of quotes. */
  length: number
  /** Symbol of each quote. */
  symbol: string[]
  /** Quote time, ms since the epoch. */
  time: Float64Array
  /** Best bid; NaN for null. */
  bid: Float64Array
  /** Best ask; NaN for null. */
  ask: Float64Array
  /** Last traded price. */
  last: Float64Array
  /** The day's open. */
  open: Float64Array
  /** The day's high. */
  high: Float64Array
  /** The day's low. */
  low: Float64Array
  /** The day's close. */
  close: Float64Array
  /** The previous trading day's close. */
  previousClose: Float64Array
  /** Shares traded. */
  volume: Float64Array
}

/** A cached collection: the quotes as columns plus what the collection reported. */
export interface CachedCollection {
  /** The collected quotes. */
  quotes: QuoteColumns
  /** Symbols the collection failed, with reasons. */
  failures: QuoteFailure[]
  /** Invalid and duplicate inputs. */
  issues: SymbolIssue[]
  /** Figures of the collection that produced these quotes. */
  stats: CollectStats
}

/** Options of {@link collectQuotesCached}: the cache, the freshness policy, and `collectQuotes`' own options. */
export interface CollectQuotesCachedOptions extends CollectQuotesOptions {
  /** The cache to serve from and persist to. */
  cache: TtlCache
  /** Time to live in ms of a fresh collection. @default the cache's `ttl` */
  ttl?: number
  /**
   * Serve a stale collection for this many ms after expiry while one refresh runs in the background.
   * @default 0
   */
  staleWhileRevalidate?: number
  /** Cache key. @default `quotes:` plus a hash of the symbol list (the source is not part of it) */
  key?: string
  /** Collect even when a fresh collection is cached (the result is cached). @default false */
  refresh?: boolean
  /** Cache a collection that got no quote at all. @default false */
  cacheEmpty?: boolean
}

/** What {@link collectQuotesCached} returns: the collection's result plus where it came from. */
export interface CollectQuotesCachedResult extends CollectQuotesResult {
  /** `memory` or `disk` when served from the cache, `collected` when collected by this call (or one it joined). */
  source: 'memory' | 'disk' | 'collected'
  /** True when a stale collection was served inside the stale-while-revalidate window. */
  stale: boolean
  /** When the served quotes were collected, on the cache's clock (ms since the epoch). */
  collectedAt: number
  /** Age of the served quotes in ms. */
  ageMs: number
  /** The cache key used. */
  key: string
}
