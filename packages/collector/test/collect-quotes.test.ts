import { afterEach, describe, expect, it } from 'vitest'
import { collectQuotes } from '../src/collect-quotes.ts'
import { InvalidOptionError } from '../src/errors.ts'
import { HttpQuoteSource } from '../src/http-quote-source.ts'
import { startQuoteServer } from '../src/quote-server.ts'
import { sp500Symbols } from '../src/sp500-symbols.ts'
import type { CollectProgress, QuoteServer, QuoteServerOptions, QuoteSource } from '../src/types.ts'

const servers: QuoteServer[] = []
async function start(options: QuoteServerOptions = {}): Promise<QuoteServer> {
  const s = await startQuoteServer({ latencyMs: 0, jitterMs: 0, ...options })
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const fast = { backoffBaseMs: 1, backoffMaxMs: 5 }

describe('collectQuotes', () => {
  it('collects the sp500 universe in input order, with stats', async () => {
    const server = await start({ latencyMs: 2 })
    const { quotes, failures, issues, stats } = await collectQuotes(sp500Symbols, { source: server.url })
    expect(quotes.map((q) => q.symbol)).toEqual([...sp500Symbols])
    expect(failures).toEqual([])
    expect(issues).toEqual([])
    expect(stats).toMatchObject({ symbols: 503, requests: 503, retries: 0 })
    expect(stats.bytes).toBe(server.stats().bytesSent)
    expect(stats.maxInFlight).toBeLessThanOrEqual(100)
  })

  it('never exceeds the concurrency limit (server-side peak in flight) and reaches it', async () => {
    const server = await start({ latencyMs: 5 })
    const symbols = Array.from({ length: 200 }, (_, i) => `S${i}`)
    const { quotes, stats } = await collectQuotes(symbols, { source: server.url, concurrency: 13 })
    expect(quotes).toHaveLength(200)
    expect(server.stats().peakInFlight).toBeLessThanOrEqual(13)
    expect(server.stats().peakConnections).toBeLessThanOrEqual(13)
    expect(stats.maxInFlight).toBe(13)
  })

  it('fetches duplicates once and reports them and invalid symbols as issues', async () => {
    const server = await start({ recordRequests: true })
    const { quotes, issues, stats } = await collectQuotes(
      ['AAPL', 'brk-b', 'BRK.B', 'aapl', '^GSPC', 'MSFT', 'BRK/B'],
      {
        source: server.url,
      },
    )
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'BRK.B', 'MSFT'])
    expect(issues.map((i) => [i.input, i.kind])).toEqual([
      ['BRK.B', 'duplicate'],
      ['aapl', 'duplicate'],
      ['^GSPC', 'invalid'],
      ['BRK/B', 'duplicate'],
    ])
    expect(stats.symbols).toBe(3)
    expect(server.requests().map((r) => r.path)).toHaveLength(3)
    expect(new Set(server.requests().map((r) => r.path)).size).toBe(3)
  })

  it('reports every failure with its reason; every valid symbol is a quote or a failure', async () => {
    const server = await start({
      knownSymbols: ['A', 'B', 'C', 'D', 'E', 'F'],
      faultPlan: {
        B: ['malformed'],
        C: ['truncated'],
        D: ['error', 'error', 'error', 'error'],
        E: ['error', null],
        F: ['error'],
      },
      retryAfterSeconds: 0,
    })
    const r = await collectQuotes(['A', 'B', 'C', 'D', 'E', 'F', 'G'], {
      source: server.url,
      http: { retries: 3, ...fast },
    })
    expect(r.quotes.map((q) => q.symbol)).toEqual(['A', 'E', 'F'])
    expect(r.failures.map((f) => [f.symbol, f.code, f.attempts, f.lastStatus])).toEqual([
      ['B', 'malformed', 1, 200],
      ['C', 'truncated', 1, 200],
      ['D', 'http_status', 4, 503],
      ['G', 'not_found', 1, 404],
    ])
    for (const f of r.failures) expect(f.reason.length).toBeGreaterThan(5)
    expect(r.stats.retries).toBe(3 + 1 + 1)
    expect(r.stats.requests).toBe(server.stats().requests)
  })

  it('collects everything through 5% 503s and 2% 429s, retries visible in stats and events', async () => {
    const server = await start({ errorRate: 0.05, rateLimitRate: 0.02, retryAfterSeconds: 0.001, seed: 11 })
    let events = 0
    const r = await collectQuotes(sp500Symbols, { source: server.url, http: fast, onRetry: () => events++ })
    expect(r.quotes).toHaveLength(503)
    expect(r.failures).toEqual([])
    const f = server.stats().faults
    expect(r.stats.retries).toBe(f.error + f.rate_limit)
    expect(events).toBe(r.stats.retries)
    expect(r.stats.retries).toBeGreaterThan(10)
  })

  it('batches N symbols per request, capped by the source', async () => {
    const server = await start({ recordRequests: true })
    const r = await collectQuotes(sp500Symbols, { source: server.url, batchSize: 100 })
    expect(r.quotes.map((q) => q.symbol)).toEqual([...sp500Symbols])
    expect(r.stats.requests).toBe(6) // ceil(503 / 100)
    const big = await collectQuotes(sp500Symbols, { source: server.url, batchSize: 1000 })
    expect(big.stats.requests).toBe(6) // nativeFormat.maxBatchSize is 100
  })

  it('fails a whole batch with the reason when its response is malformed', async () => {
    const symbols = ['A', 'B', 'C', 'D']
    const server = await start({ faultPlan: { 'A,B': ['malformed'] } })
    const r = await collectQuotes(symbols, { source: server.url, batchSize: 2 })
    expect(r.quotes.map((q) => q.symbol)).toEqual(['C', 'D'])
    expect(r.failures.map((f) => [f.symbol, f.code])).toEqual([
      ['A', 'malformed'],
      ['B', 'malformed'],
    ])
    expect(r.failures[0]!.excerpt).toMatch(/^\{"quotes":\[/)
  })

  it('reports progress after each request, ending at the total', async () => {
    const server = await start()
    const seen: CollectProgress[] = []
    await collectQuotes(['A', 'B', 'C', 'D', 'E', 'A'], {
      source: server.url,
      concurrency: 2,
      onProgress: (p) => seen.push(p),
    })
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5])
    expect(seen.at(-1)).toMatchObject({ done: 5, total: 5, ok: 5, failed: 0 })
  })

  it('resolves on abort, in-flight and unstarted symbols failing with `aborted`', async () => {
    const server = await start({ latencyMs: 10_000 })
    const controller = new AbortController()
    const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`)
    const pending = collectQuotes(symbols, { source: server.url, concurrency: 5, signal: controller.signal })
    while (server.stats().requests < 5) await new Promise((r) => setTimeout(r, 2))
    controller.abort()
    const r = await pending
    expect(r.quotes).toEqual([])
    expect(r.failures).toHaveLength(50)
    expect(r.failures.every((f) => f.code === 'aborted')).toBe(true)
    expect(r.failures.filter((f) => f.attempts === 1)).toHaveLength(5)
    expect(server.stats().requests).toBe(5)
  })

  it('stops at the overall deadline, the rest failing with `deadline`', async () => {
    const server = await start({ latencyMs: 10_000 })
    const r = await collectQuotes(['A', 'B', 'C'], { source: server.url, concurrency: 1, deadlineMs: 30 })
    expect(r.failures.map((f) => [f.symbol, f.code, f.attempts])).toEqual([
      ['A', 'deadline', 1],
      ['B', 'deadline', 0],
      ['C', 'deadline', 0],
    ])
  })

  // A deadline timer runs on the event loop's millisecond clock and may fire a little before performance.now() reaches
  // the deadline (the test above then flaked: B was sent). Once a request is cut by the deadline, nothing more is sent.
  it('sends nothing after a request was cut by the deadline, even a moment before the clock reaches it', async () => {
    const asked: string[] = []
    const early: QuoteSource = {
      maxBatchSize: 1,
      concurrency: 1,
      fetchQuote: (symbol) => {
        asked.push(symbol)
        const failure = {
          symbol,
          code: 'deadline' as const,
          reason: 'the deadline passed while waiting',
          attempts: 1,
          lastStatus: null,
          excerpt: null,
        }
        return Promise.resolve({ state: 'failed' as const, symbol, failure })
      },
      fetchQuotes: () => Promise.reject(new Error('not batched')),
      close: () => Promise.resolve(),
    }
    const r = await collectQuotes(['A', 'B', 'C'], { source: early, concurrency: 1, deadlineMs: 60_000 })
    expect(asked).toEqual(['A'])
    expect(r.failures.map((f) => [f.symbol, f.code, f.attempts])).toEqual([
      ['A', 'deadline', 1],
      ['B', 'deadline', 0],
      ['C', 'deadline', 0],
    ])
  })

  it('collects 20,000 symbols at zero latency pulling the input lazily: look-ahead bounded by the pool', async () => {
    const server = await start()
    const concurrency = 50
    let pulled = 0
    let done = 0
    let maxAhead = 0
    function* input(): Generator<string> {
      for (let i = 0; i < 20_000; i++) {
        pulled++
        maxAhead = Math.max(maxAhead, pulled - done)
        yield `T${i}`
      }
    }
    const r = await collectQuotes(input(), {
      source: server.url,
      concurrency,
      onProgress: (p) => {
        done = p.done
      },
    })
    expect(r.quotes).toHaveLength(20_000)
    expect(r.failures).toEqual([])
    expect(r.stats).toMatchObject({ symbols: 20_000, requests: 20_000 })
    expect(r.stats.maxInFlight).toBeLessThanOrEqual(concurrency)
    expect(server.stats().peakInFlight).toBeLessThanOrEqual(concurrency)
    // Never more than one symbol per worker taken from the input ahead of the results.
    expect(maxAhead).toBeLessThanOrEqual(concurrency + 1)
  })

  it('accepts async iterables and QuoteSource objects, including a source that throws', async () => {
    const server = await start()
    const source = new HttpQuoteSource({ url: server.url })
    async function* input(): AsyncGenerator<string> {
      await Promise.resolve()
      yield 'A'
      yield 'a'
      yield 'B'
    }
    const r = await collectQuotes(input(), { source })
    expect(r.quotes.map((q) => q.symbol)).toEqual(['A', 'B'])
    expect(r.issues).toHaveLength(1)
    await source.close()
    const broken: QuoteSource = {
      maxBatchSize: 1,
      concurrency: 2,
      fetchQuote: () => Promise.reject(new Error('boom')),
      fetchQuotes: () => Promise.reject(new Error('boom')),
      close: () => Promise.resolve(),
    }
    const b = await collectQuotes(['X', 'Y'], { source: broken })
    expect(b.failures.map((f) => [f.symbol, f.code, f.reason])).toEqual([
      ['X', 'provider_error', 'the quote source threw: boom'],
      ['Y', 'provider_error', 'the quote source threw: boom'],
    ])
  })

  it('validates options before any request', async () => {
    await expect(collectQuotes(['A'], { source: 'http://127.0.0.1:1', concurrency: 0 })).rejects.toThrow(
      InvalidOptionError,
    )
    await expect(collectQuotes(['A'], { source: 'http://127.0.0.1:1', batchSize: -1 })).rejects.toThrow(/batchSize/)
    await expect(collectQuotes(['A'], { source: 'not a url' })).rejects.toThrow(/url/)
    await expect(collectQuotes(['A'], {} as never)).rejects.toThrow(/source/)
  })
})
