import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/errors.ts'
import { HttpQuoteSource } from '../src/http-quote-source.ts'
import { startQuoteServer } from '../src/quote-server.ts'
import type { HttpQuoteSourceOptions, QuoteServer, QuoteServerOptions, RetryEvent } from '../src/types.ts'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()))
})

async function setup(
  server: QuoteServerOptions,
  client: Omit<HttpQuoteSourceOptions, 'url'> = {},
): Promise<{ server: QuoteServer; source: HttpQuoteSource }> {
  const s = await startQuoteServer({ latencyMs: 0, jitterMs: 0, recordRequests: true, ...server })
  const source = new HttpQuoteSource({ url: s.url, backoffBaseMs: 1, backoffMaxMs: 5, ...client })
  cleanup.push(
    () => source.close(),
    () => s.close(),
  )
  return { server: s, source }
}

describe('HttpQuoteSource retries', () => {
  it('retries 429, 502, 503 and 504, then succeeds, reporting each retry', async () => {
    const { server, source } = await setup({
      faultPlan: { AAPL: ['rate_limit', 'error', 'error'] },
      retryAfterSeconds: 0,
    })
    const events: RetryEvent[] = []
    const counters = { requests: 0, retries: 0, bytes: 0, inFlight: 0, maxInFlight: 0 }
    const out = await source.fetchQuote('AAPL', { onRetry: (e) => events.push(e), counters })
    expect(out).toMatchObject({ state: 'ok', attempts: 4, quote: { symbol: 'AAPL' } })
    expect(events.map((e) => [e.attempt, e.status, e.retryAfterMs])).toEqual([
      [1, 429, 0],
      [2, 503, 0],
      [3, 503, 0],
    ])
    expect(counters).toMatchObject({ requests: 4, retries: 3, inFlight: 0, maxInFlight: 1 })
    expect(server.stats().requests).toBe(4)
    for (const status of [502, 504]) {
      const r = await setup({ faultPlan: { X: ['error'] }, errorStatus: status, retryAfterSeconds: 0 })
      expect(await r.source.fetchQuote('X'), String(status)).toMatchObject({ state: 'ok', attempts: 2 })
    }
  })

  it('does not retry statuses off the list (500) and reports the status, reason and body excerpt', async () => {
    const { server, source } = await setup({ faultPlan: { AAPL: ['error'] }, errorStatus: 500 })
    const out = await source.fetchQuote('AAPL')
    expect(out.state).toBe('failed')
    if (out.state !== 'failed') return
    expect(out.failure).toMatchObject({ code: 'http_status', attempts: 1, lastStatus: 500 })
    expect(out.failure.reason).toContain('500')
    expect(out.failure.excerpt).toContain('injected fault')
    expect(server.stats().requests).toBe(1)
  })

  it('gives up after `retries` retries with the last status', async () => {
    const { server, source } = await setup(
      { faultPlan: { AAPL: ['error', 'error', 'error'] }, retryAfterSeconds: 0 },
      { retries: 2 },
    )
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'http_status', attempts: 3, lastStatus: 503 } })
    if (out.state === 'failed') expect(out.failure.reason).toMatch(/gave up after 3 attempts/)
    expect(server.stats().requests).toBe(3)
  })

  it('honours Retry-After in seconds: waits that long, then the retry arrives no earlier', async () => {
    const { server, source } = await setup({ faultPlan: { AAPL: ['rate_limit'] }, retryAfterSeconds: 0.2 })
    const events: RetryEvent[] = []
    // backoff jitter would pick at most 5 ms: a 200 ms wait can only come from Retry-After.
    const out = await source.fetchQuote('AAPL', { onRetry: (e) => events.push(e) })
    expect(out.state).toBe('ok')
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ status: 429, retryAfterMs: 200, delayMs: 200 })
    const [first, second] = server.requests()
    expect(first!.status).toBe(429)
    expect(second!.status).toBe(200)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(195) // ordering in time: never before Retry-After
  })

  it('honours Retry-After as an HTTP-date', async () => {
    const { server, source } = await setup({
      faultPlan: { AAPL: ['error'] },
      retryAfterSeconds: 0.5,
      retryAfterFormat: 'http-date',
    })
    const events: RetryEvent[] = []
    const out = await source.fetchQuote('AAPL', { onRetry: (e) => events.push(e) })
    expect(out.state).toBe('ok')
    expect(events[0]!.retryAfterMs).toBeGreaterThan(5)
    expect(events[0]!.delayMs).toBe(events[0]!.retryAfterMs)
    const [first, second] = server.requests()
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(events[0]!.delayMs - 5)
  })

  it('fails instead of waiting when Retry-After exceeds maxRetryAfterMs', async () => {
    const { server, source } = await setup({ faultPlan: { AAPL: ['rate_limit'] }, retryAfterSeconds: 120 })
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'http_status', lastStatus: 429, attempts: 1 } })
    if (out.state === 'failed') expect(out.failure.reason).toMatch(/exceeds maxRetryAfterMs/)
    expect(server.stats().requests).toBe(1)
  })

  it('retries a connection reset and reports an exhausted one as a connection failure', async () => {
    const a = await setup({ faultPlan: { AAPL: ['reset'] } })
    expect(await a.source.fetchQuote('AAPL')).toMatchObject({ state: 'ok', attempts: 2 })
    const b = await setup({ faultPlan: { AAPL: ['reset', 'reset'] } }, { retries: 1 })
    const out = await b.source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'connection', attempts: 2, lastStatus: null } })
  })

  it('does not retry a refused connection', async () => {
    const s = createServer()
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    const port = (s.address() as AddressInfo).port
    await new Promise<void>((r) => s.close(() => r()))
    const source = new HttpQuoteSource({ url: `http://127.0.0.1:${port}` })
    cleanup.push(() => source.close())
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'connection', attempts: 1 } })
    if (out.state === 'failed') expect(out.failure.reason).toContain('ECONNREFUSED')
  })
})

describe('HttpQuoteSource response validation', () => {
  it('turns a malformed body into a failure with an excerpt, not a crash', async () => {
    const { source } = await setup({ faultPlan: { AAPL: ['malformed'] } })
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'malformed', attempts: 1, lastStatus: 200 } })
    if (out.state === 'failed') expect(out.failure.excerpt).toMatch(/^\{"symbol":"AAPL"/)
  })

  it('turns a truncated body into a failure with the bytes that arrived', async () => {
    const { source } = await setup({ faultPlan: { AAPL: ['truncated'] } })
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'truncated', lastStatus: 200 } })
    if (out.state === 'failed') {
      expect(out.failure.reason).toMatch(/connection closed after \d+ bytes of the body/)
      expect(out.failure.excerpt).toMatch(/^\{"symbol":"AAPL"/)
    }
  })

  it('rejects well-formed JSON that breaks the Quote contract, naming the field', async () => {
    const bodies: Record<string, string> = {
      '/quotes/A': JSON.stringify({ symbol: 'B', time: 1, last: 1, open: 1, high: 1, low: 1, close: 1 }),
      '/quotes/C': JSON.stringify({
        symbol: 'C',
        time: 1,
        bid: 2,
        ask: 1,
        last: 1,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        previousClose: 1,
        volume: 1,
      }),
      '/quotes/D': JSON.stringify({
        symbol: 'D',
        time: 1,
        last: 1,
        open: 1,
        high: 1,
        low: 2,
        close: 1,
        previousClose: 1,
        volume: 1,
      }),
      '/quotes/E': JSON.stringify({
        symbol: 'E',
        time: 1,
        last: '1',
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        previousClose: 1,
        volume: 1,
      }),
      '/quotes/F': '[]',
      '/quotes/G': 'x'.repeat(5000),
    }
    const s = createServer((req, res) => res.end(bodies[req.url ?? ''] ?? ''))
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
    cleanup.push(() => new Promise((r) => s.close(() => r())))
    const source = new HttpQuoteSource({
      url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
      maxBodyBytes: 1000,
    })
    cleanup.push(() => source.close())
    const out = await Promise.all(['A', 'C', 'D', 'E', 'F', 'G'].map((sym) => source.fetchQuote(sym)))
    const reasons = out.map((o) => (o.state === 'failed' ? `${o.failure.code}: ${o.failure.reason}` : 'ok'))
    expect(reasons[0]).toMatch(/malformed: .*symbol "B"/)
    expect(reasons[1]).toMatch(/malformed: .*bid 2 is above ask 1/)
    expect(reasons[2]).toMatch(/malformed: .*high 1 is below low 2/)
    expect(reasons[3]).toMatch(/malformed: .*last is "1"/)
    expect(reasons[4]).toMatch(/malformed: /)
    expect(reasons[5]).toMatch(/malformed: body exceeds maxBodyBytes 1000/)
  })

  it('maps 404 to not_found without retrying', async () => {
    const { server, source } = await setup({ knownSymbols: ['AAPL'] })
    const out = await source.fetchQuote('ZZZ')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'not_found', lastStatus: 404, attempts: 1 } })
    if (out.state === 'failed') expect(out.failure.reason).toContain('unknown symbol ZZZ')
    expect(server.stats().requests).toBe(1)
  })
})

describe('HttpQuoteSource timeouts and aborts', () => {
  it('times out a slow body per attempt and does not retry it', async () => {
    const { server, source } = await setup(
      { faultPlan: { AAPL: ['slow_body'] }, slowBodyMs: 10_000 },
      { timeoutMs: 50 },
    )
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'timeout', attempts: 1, lastStatus: 200 } })
    if (out.state === 'failed') expect(out.failure.reason).toMatch(/timed out after 50 ms after \d+ bytes of the body/)
    expect(server.stats().requests).toBe(1)
  })

  it('times out waiting for headers', async () => {
    const { source } = await setup({ latencyMs: 10_000 }, { timeoutMs: 30 })
    const out = await source.fetchQuote('AAPL')
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'timeout', lastStatus: null } })
    if (out.state === 'failed') expect(out.failure.reason).toContain('waiting for the response')
  })

  it('stops at the deadline and says so', async () => {
    const { source } = await setup({ latencyMs: 10_000 }, { timeoutMs: 5_000 })
    const out = await source.fetchQuote('AAPL', { deadline: performance.now() + 30 })
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'deadline', attempts: 1 } })
  })

  it('aborts an in-flight request and never retries a user abort', async () => {
    const { server, source } = await setup({ latencyMs: 10_000 })
    const controller = new AbortController()
    const pending = source.fetchQuote('AAPL', { signal: controller.signal })
    while (server.stats().requests === 0) await new Promise((r) => setTimeout(r, 2))
    controller.abort()
    const out = await pending
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'aborted', attempts: 1 } })
    expect(server.stats().requests).toBe(1)
  })

  it('aborts while waiting to retry', async () => {
    const { server, source } = await setup({ faultPlan: { AAPL: ['rate_limit'] }, retryAfterSeconds: 30 })
    const controller = new AbortController()
    const out = await source.fetchQuote('AAPL', { signal: controller.signal, onRetry: () => controller.abort() })
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'aborted', attempts: 1, lastStatus: 429 } })
    expect(server.stats().requests).toBe(1)
  })

  it('aborts a fetch queued behind the concurrency limit without sending it', async () => {
    const { server, source } = await setup({ latencyMs: 10_000 }, { concurrency: 1 })
    const first = new AbortController()
    const second = new AbortController()
    const a = source.fetchQuote('A', { signal: first.signal })
    const b = source.fetchQuote('B', { signal: second.signal })
    while (server.stats().requests === 0) await new Promise((r) => setTimeout(r, 2))
    second.abort()
    expect(await b).toMatchObject({ state: 'failed', failure: { code: 'aborted', attempts: 0 } })
    first.abort()
    expect(await a).toMatchObject({ state: 'failed', failure: { code: 'aborted', attempts: 1 } })
    expect(server.stats().requests).toBe(1)
  })

  it('makes no request when already aborted', async () => {
    const { server, source } = await setup({})
    const out = await source.fetchQuote('AAPL', { signal: AbortSignal.abort() })
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'aborted', attempts: 0 } })
    expect(server.stats().requests).toBe(0)
  })
})

describe('HttpQuoteSource batches and limits', () => {
  it('splits fetchQuotes into maxBatchSize requests and keeps the input order', async () => {
    const { server, source } = await setup({})
    const symbols = Array.from({ length: 250 }, (_, i) => `S${i}`)
    const out = await source.fetchQuotes(symbols)
    expect(out.map((o) => o.symbol)).toEqual(symbols)
    expect(out.every((o) => o.state === 'ok')).toBe(true)
    expect(server.stats().requests).toBe(3) // ceil(250 / 100)
  })

  it('never has more than `concurrency` requests in flight (server-side count)', async () => {
    const { server, source } = await setup({ latencyMs: 5 }, { concurrency: 7, format: undefined })
    const symbols = Array.from({ length: 60 }, (_, i) => `S${i}`)
    await Promise.all(symbols.map((s) => source.fetchQuote(s)))
    expect(server.stats().peakInFlight).toBeLessThanOrEqual(7)
    expect(server.stats().peakConnections).toBeLessThanOrEqual(7)
    expect(source.counters.maxInFlight).toBe(7)
  })

  it('validates its options eagerly', () => {
    expect(() => new HttpQuoteSource({ url: 'nope' })).toThrow(InvalidOptionError)
    expect(() => new HttpQuoteSource({ url: 'ftp://x' })).toThrow(/http/)
    expect(() => new HttpQuoteSource({ url: 'http://127.0.0.1:1', concurrency: 0 })).toThrow(
      'Expected `concurrency` to be an integer from 1 up, got `0` (number)',
    )
    expect(() => new HttpQuoteSource({ url: 'http://127.0.0.1:1', timeoutMs: -5 })).toThrow(/timeoutMs/)
    expect(() => new HttpQuoteSource({ url: 'http://127.0.0.1:1', retries: 1.5 })).toThrow(/retries/)
  })
})

describe('HttpQuoteSource connection pool', () => {
  it('is opened by the first request or by open(), closes without one, and fails requests after close', async () => {
    const s = await startQuoteServer({ latencyMs: 0, jitterMs: 0, recordRequests: true })
    cleanup.push(() => s.close())
    // Never used: close resolves and nothing reached the server.
    await new HttpQuoteSource({ url: s.url }).close()
    // No open(): the first request opens the pool.
    const first = new HttpQuoteSource({ url: s.url })
    expect(await first.fetchQuote('AAPL')).toMatchObject({ state: 'ok', quote: { symbol: 'AAPL' } })
    await first.close()
    // open() first, then requests in parallel share the one pool.
    const opened = new HttpQuoteSource({ url: s.url, concurrency: 4 })
    await opened.open()
    const outcomes = await opened.fetchQuotes(['AAPL', 'MSFT', 'IBM'])
    expect(outcomes.map((o) => o.state)).toEqual(['ok', 'ok', 'ok'])
    await opened.close()
    expect(s.stats().requests).toBe(2) // one request per batch of symbols
    // Closed, used or not: a request fails (not thrown) and never reaches the server.
    for (const used of [false, true]) {
      const c = new HttpQuoteSource({ url: s.url })
      if (used) await c.fetchQuote('AAPL')
      await c.close()
      const out = await c.fetchQuote('MSFT')
      expect(out.state, `used ${used}`).toBe('failed')
    }
    expect(s.stats().requests).toBe(3)
  })
})
