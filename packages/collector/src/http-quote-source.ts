import { performance } from 'node:perf_hooks'
import type { Pool } from 'undici'
import { integerOption, numberOption } from './_options.ts'
import { backoffDelay, DEFAULT_RETRY_STATUSES, parseRetryAfter, RETRY_CONNECTION_CODES } from './_retry.ts'
import { DeadlineGuard } from './_deadline-guard.ts'
import { Semaphore } from './_semaphore.ts'
import { isProblem } from './_validate-quote.ts'
import { InvalidOptionError } from './errors.ts'
import { nativeFormat } from './native-format.ts'
import type {
  FailureCode,
  FetchCounters,
  FetchOptions,
  HttpQuoteSourceOptions,
  Quote,
  QuoteFormat,
  QuoteOutcome,
  QuoteProblem,
  QuoteSource,
} from './types.ts'

const EXCERPT_CHARS = 200

type Attempt =
  | { ok: true; status: number; results: (Quote | QuoteProblem)[] }
  | {
      ok: false
      /** Whether a request was sent (false when the attempt ended before it, e.g. an abort while queued). */
      sent: boolean
      code: FailureCode
      reason: string
      status: number | null
      excerpt: string | null
      retryable: boolean
      retryAfterMs: number | null
    }

function fail(code: FailureCode, reason: string, status: number | null = null, excerpt: string | null = null): Attempt {
  return { ok: false, sent: true, code, reason, status, excerpt, retryable: false, retryAfterMs: null }
}

function unsent(code: FailureCode, reason: string): Attempt {
  return { ok: false, sent: false, code, reason, status: null, excerpt: null, retryable: false, retryAfterMs: null }
}

function excerptOf(chunks: Buffer[]): string {
  let text = ''
  for (const c of chunks) {
    text += c.toString('utf8')
    if (text.length >= EXCERPT_CHARS) break
  }
  return text.slice(0, EXCERPT_CHARS)
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

const NO_COUNTERS = (): FetchCounters => ({ requests: 0, retries: 0, bytes: 0, inFlight: 0, maxInFlight: 0 })

function countStart(c: FetchCounters): void {
  c.requests++
  c.inFlight++
  if (c.inFlight > c.maxInFlight) c.maxInFlight = c.inFlight
}

function countEnd(c: FetchCounters, bytes: number): void {
  c.inFlight--
  c.bytes += bytes
}

/** A response as far as it was read: the status once headers came, the body's chunks, whether it was cut off. */
interface RawResponse {
  status: number | null
  retryAfter: string | string[] | undefined
  chunks: Buffer[]
  size: number
  tooBig: boolean
}

/**
 * A `QuoteSource` over HTTP with undici: one keep-alive connection `Pool` (as many connections as `concurrency`),
 * at most `concurrency` requests in flight, a timeout per attempt, retries with exponential backoff and full jitter
 * on an explicit list of statuses and connection resets, `Retry-After` honoured (delay-seconds or HTTP-date), and
 * every body checked by the format: a malformed or truncated body fails its symbols with an excerpt.
 * @example
 * const source = new HttpQuoteSource({ url: server.url, concurrency: 50 })
 * const outcome = await source.fetchQuote('AAPL')
 * await source.close()
 */
export class HttpQuoteSource implements QuoteSource {
  /** Most symbols one request carries (the format's). */
  readonly maxBatchSize: number
  /** Most requests in flight at once. */
  readonly concurrency: number
  /** The connection pool once opened; undici loads on the first request or {@link HttpQuoteSource.open}. */
  #pool: Pool | null = null
  #opening: Promise<Pool> | null = null
  #closed = false
  readonly #origin: string
  readonly #prefix: string
  readonly #format: QuoteFormat
  readonly #limiter: Semaphore
  readonly #timeoutMs: number
  readonly #retries: number
  readonly #retryStatuses: ReadonlySet<number>
  readonly #backoffBaseMs: number
  readonly #backoffMaxMs: number
  readonly #maxRetryAfterMs: number
  readonly #maxBodyBytes: number
  readonly #headers: Record<string, string>
  readonly #random: () => number
  readonly #own: FetchCounters = NO_COUNTERS()

  /** @param options - server URL, format, concurrency, timeout and retry policy */
  constructor(options: HttpQuoteSourceOptions) {
    let url: URL
    try {
      url = new URL(options.url)
    } catch {
      throw new InvalidOptionError(`collector: Expected \`url\` to be an absolute URL, got \`${String(options.url)}\``)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidOptionError(`collector: Expected \`url\` to be http: or https:, got \`${url.protocol}\``)
    }
    this.#format = options.format ?? nativeFormat
    this.maxBatchSize = this.#format.maxBatchSize
    this.concurrency = integerOption('concurrency', options.concurrency, 1, 100)
    this.#timeoutMs = numberOption('timeoutMs', options.timeoutMs, 1, 10_000)
    this.#retries = integerOption('retries', options.retries, 0, 3)
    this.#backoffBaseMs = numberOption('backoffBaseMs', options.backoffBaseMs, 0, 100)
    this.#backoffMaxMs = numberOption('backoffMaxMs', options.backoffMaxMs, 0, 5_000)
    this.#maxRetryAfterMs = numberOption('maxRetryAfterMs', options.maxRetryAfterMs, 0, 60_000)
    this.#maxBodyBytes = integerOption('maxBodyBytes', options.maxBodyBytes, 1, 4 * 1024 * 1024)
    this.#retryStatuses = new Set(options.retryStatuses ?? DEFAULT_RETRY_STATUSES)
    this.#headers = { accept: 'application/json', ...options.headers }
    this.#random = options.random ?? Math.random
    this.#prefix = url.pathname.replace(/\/+$/, '')
    this.#limiter = new Semaphore(this.concurrency)
    this.#origin = url.origin
  }

  /**
   * Loads undici and opens the connection pool now rather than on the first request (undici takes ~75 ms to load:
   * a program that never fetches, such as a run served from the cache, does not pay for it). Connections themselves
   * are made by requests.
   */
  async open(): Promise<void> {
    await this.#openPool()
  }

  #openPool(): Promise<Pool> {
    this.#opening ??= import('undici').then(({ Pool }) => {
      this.#pool = new Pool(this.#origin, { connections: this.concurrency, pipelining: 1 })
      if (this.#closed) void this.#pool.close()
      return this.#pool
    })
    return this.#opening
  }

  /** Counters of every request this source has made since it was created. */
  get counters(): Readonly<FetchCounters> {
    return { ...this.#own }
  }

  /**
   * Fetches one symbol; never throws for a failed fetch (the outcome says why).
   * @param symbol - canonical symbol (see `normalizeSymbol`)
   * @param options - signal, deadline, counters, retry hook
   */
  async fetchQuote(symbol: string, options: FetchOptions = {}): Promise<QuoteOutcome> {
    return (await this.#fetchBatch([symbol], options))[0]!
  }

  /**
   * Fetches many symbols, `maxBatchSize` per request, all requests sharing the concurrency limit.
   * @param symbols - canonical symbols
   * @param options - signal, deadline, counters, retry hook
   */
  async fetchQuotes(symbols: readonly string[], options: FetchOptions = {}): Promise<QuoteOutcome[]> {
    const chunks: Promise<QuoteOutcome[]>[] = []
    for (let i = 0; i < symbols.length; i += this.maxBatchSize) {
      chunks.push(this.#fetchBatch(symbols.slice(i, i + this.maxBatchSize), options))
    }
    return (await Promise.all(chunks)).flat()
  }

  /** Closes the connection pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#opening === null) return
    await (await this.#opening).close()
  }

  async #fetchBatch(symbols: readonly string[], options: FetchOptions): Promise<QuoteOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      const r = await this.#attempt(symbols, options)
      if (r.ok) {
        return symbols.map((symbol, i): QuoteOutcome => {
          const x = r.results[i]!
          if (!isProblem(x)) return { state: 'ok', symbol, quote: x, attempts: attempt }
          const failure = {
            symbol,
            code: x.code,
            reason: x.reason,
            attempts: attempt,
            lastStatus: r.status,
            excerpt: null,
          }
          return { state: 'failed', symbol, failure }
        })
      }
      const attempts = r.sent ? attempt : attempt - 1
      const failAll = (code: FailureCode, reason: string): QuoteOutcome[] =>
        symbols.map((symbol) => ({
          state: 'failed',
          symbol,
          failure: { symbol, code, reason, attempts, lastStatus: r.status, excerpt: r.excerpt },
        }))
      if (!r.retryable) return failAll(r.code, r.reason)
      if (attempt > this.#retries) return failAll(r.code, `${r.reason}; gave up after ${attempt} attempts`)
      let delayMs: number
      if (r.retryAfterMs !== null) {
        if (r.retryAfterMs > this.#maxRetryAfterMs) {
          return failAll(r.code, `${r.reason}; Retry-After ${r.retryAfterMs} ms exceeds maxRetryAfterMs`)
        }
        delayMs = r.retryAfterMs
      } else {
        delayMs = backoffDelay(attempt, this.#backoffBaseMs, this.#backoffMaxMs, this.#random)
      }
      if (options.deadline !== undefined && performance.now() + delayMs >= options.deadline) {
        return failAll('deadline', `${r.reason}; the deadline passes before retry ${attempt + 1}`)
      }
      options.onRetry?.({ symbols, attempt, status: r.status, reason: r.reason, delayMs, retryAfterMs: r.retryAfterMs })
      if (!(await sleep(delayMs, options.signal))) return failAll('aborted', `aborted while waiting to retry`)
      this.#own.retries++
      if (options.counters) options.counters.retries++
    }
  }

  /**
   * One request for `symbols`: a connection slot, the request, its body, then what the answer means. Never throws.
   */
  async #attempt(symbols: readonly string[], options: FetchOptions): Promise<Attempt> {
    const { signal, counters } = options
    const left = await this.#acquireSlot(options)
    if (typeof left !== 'number') return left
    const guard = options.deadline === undefined ? null : new DeadlineGuard(signal, left)
    countStart(this.#own)
    if (counters) countStart(counters)
    const response: RawResponse = { status: null, retryAfter: undefined, chunks: [], size: 0, tooBig: false }
    try {
      await this.#request(symbols, guard?.signal ?? signal, response)
    } catch (error) {
      return this.#transportFailure(error, response, guard?.why ?? null, signal)
    } finally {
      guard?.dispose()
      countEnd(this.#own, response.size)
      if (counters) countEnd(counters, response.size)
      this.#limiter.release()
    }
    return this.#classify(response, symbols)
  }

  /** Waits for a connection slot: the ms left before the deadline (Infinity without one), or why none was sent. */
  async #acquireSlot({ signal, deadline }: FetchOptions): Promise<number | Attempt> {
    if (signal?.aborted) return unsent('aborted', 'aborted before the request')
    if (!(await this.#limiter.acquire(signal))) return unsent('aborted', 'aborted while waiting for a connection slot')
    if (signal?.aborted) {
      this.#limiter.release()
      return unsent('aborted', 'aborted while waiting for a connection slot')
    }
    const left = deadline === undefined ? Infinity : deadline - performance.now()
    if (left <= 0) {
      this.#limiter.release()
      return unsent('deadline', 'the deadline passed before the request')
    }
    return left
  }

  /** Sends the request and reads its body into `into` (at most `maxBodyBytes`); throws what undici throws. */
  async #request(symbols: readonly string[], signal: AbortSignal | undefined, into: RawResponse): Promise<void> {
    // The per-attempt timeout is undici's own headersTimeout/bodyTimeout.
    const res = await (this.#pool ?? (await this.#openPool())).request({
      path: this.#prefix + this.#format.requestPath(symbols),
      method: 'GET',
      headers: this.#headers,
      ...(signal ? { signal } : {}),
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    })
    into.status = res.statusCode
    into.retryAfter = res.headers['retry-after']
    // Event listeners rather than `for await`: an async iterator costs a promise per chunk on the hot path.
    await new Promise<void>((resolve, reject) => {
      const body = res.body
      body.on('data', (chunk: Buffer) => {
        into.size += chunk.length
        if (into.size > this.#maxBodyBytes) {
          into.tooBig = true
          body.destroy()
          resolve()
          return
        }
        into.chunks.push(chunk)
      })
      body.once('end', resolve)
      body.once('error', reject)
    })
  }

  /** What a thrown request means: aborted, past the deadline, timed out, cut off mid-body, or no connection. */
  #transportFailure(
    error: unknown,
    response: RawResponse,
    why: 'deadline' | 'aborted' | null,
    signal: AbortSignal | undefined,
  ): Attempt {
    const err = error as { code?: string; name?: string; message?: string }
    const { status, chunks } = response
    const phase = status === null ? 'waiting for the response' : `after ${response.size} bytes of the body`
    if (why === 'aborted' || signal?.aborted) {
      return fail('aborted', `aborted ${phase}`, status, excerptOf(chunks) || null)
    }
    if (why === 'deadline') return fail('deadline', `the deadline passed ${phase}`, status, excerptOf(chunks) || null)
    const code = err.code ?? err.name ?? 'Error'
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return fail('timeout', `timed out after ${this.#timeoutMs} ms ${phase}`, status, excerptOf(chunks) || null)
    }
    if (status !== null) {
      return fail('truncated', `connection closed ${phase} (${code}: ${err.message})`, status, excerptOf(chunks))
    }
    return {
      ok: false,
      sent: true,
      code: 'connection',
      reason: `connection failed ${phase} (${code}: ${err.message})`,
      status: null,
      excerpt: null,
      retryable: RETRY_CONNECTION_CODES.has(code),
      retryAfterMs: null,
    }
  }

  /** What a complete answer means: the format's results for a 2xx, else a failure (retryable if its status is). */
  #classify({ status, chunks, tooBig, retryAfter }: RawResponse, symbols: readonly string[]): Attempt {
    if (status === null) return fail('connection', 'no response status') // unreachable: request() resolved
    if (tooBig) return fail('malformed', `body exceeds maxBodyBytes ${this.#maxBodyBytes}`, status, excerptOf(chunks))
    const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')
    if (status >= 200 && status < 300) {
      try {
        return { ok: true, status, results: this.#format.parse(body, symbols) }
      } catch (error) {
        return fail('malformed', (error as Error).message, status, body.slice(0, EXCERPT_CHARS))
      }
    }
    const described = this.#format.describeError?.(status, body) ?? `${this.#format.name}: HTTP ${status}`
    if (status === 404) return fail('not_found', described, status, body.slice(0, EXCERPT_CHARS))
    const retryable = this.#retryStatuses.has(status)
    return {
      ok: false,
      sent: true,
      code: 'http_status',
      reason: described,
      status,
      excerpt: body.slice(0, EXCERPT_CHARS),
      retryable,
      retryAfterMs: retryable ? parseRetryAfter(retryAfter) : null,
    }
  }
}
