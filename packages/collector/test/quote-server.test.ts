import { syntheticBars } from '@ttapi/columnar-io'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { InvalidOptionError } from '../src/errors.ts'
import { startQuoteServer } from '../src/quote-server.ts'
import { sp500Symbols } from '../src/sp500-symbols.ts'
import type { Quote, QuoteServer, QuoteServerOptions } from '../src/types.ts'

const servers: QuoteServer[] = []
async function start(options: QuoteServerOptions = {}): Promise<QuoteServer> {
  const s = await startQuoteServer({ latencyMs: 0, jitterMs: 0, date: '2026-11-20', ...options })
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const res = await request(url)
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

describe('startQuoteServer prices', () => {
  it('serves realistic quotes: bid < last < ask, low <= min(open, close), high >= max(open, close), volume > 0', async () => {
    const s = await start()
    const quotes: Quote[] = []
    for (let i = 0; i < sp500Symbols.length; i += 100) {
      const batch = sp500Symbols.slice(i, i + 100).join(',')
      quotes.push(...(JSON.parse((await get(`${s.url}/quotes?symbols=${batch}`)).body) as { quotes: Quote[] }).quotes)
    }
    expect(quotes.map((q) => q.symbol)).toEqual([...sp500Symbols])
    for (const q of quotes) {
      expect(q.bid!).toBeLessThan(q.last)
      expect(q.ask!).toBeGreaterThan(q.last)
      expect(q.high).toBeGreaterThanOrEqual(Math.max(q.open, q.close))
      expect(q.low).toBeLessThanOrEqual(Math.min(q.open, q.close))
      expect(q.low).toBeGreaterThan(0)
      expect(q.volume).toBeGreaterThan(0)
      expect(q.last).toBe(q.close)
      expect(Number.isInteger(q.volume)).toBe(true)
      // 2026-11-20 21:00 UTC, the configured day's close (hand computation: Date.UTC(2026, 10, 20, 21)).
      expect(q.time).toBe(Date.UTC(2026, 10, 20, 21))
    }
  })

  it("serves the synthetic market's bar for the day (oracle: @ttapi/columnar-io syntheticBars)", async () => {
    const s = await start({ seed: 9, date: '2026-11-22' }) // a Sunday: the quote is Friday 2026-11-20's bar
    const q = JSON.parse((await get(`${s.url}/quotes/AAPL`)).body) as Quote
    const day = Date.UTC(2026, 10, 22) / 86_400_000
    const bars = syntheticBars(9, 'AAPL', 2, day)
    expect(bars.date[1]).toBe(Date.UTC(2026, 10, 20) / 86_400_000)
    expect(q).toMatchObject({
      open: bars.open[1],
      high: bars.high[1],
      low: bars.low[1],
      close: bars.close[1],
      last: bars.close[1],
      previousClose: bars.close[0],
      volume: bars.volume[1],
      time: Date.UTC(2026, 10, 20, 21),
    })
  })

  it('is deterministic per (seed, symbol, day) and changes with each of them', async () => {
    const a = await start({ seed: 7 })
    const b = await start({ seed: 7 })
    const c = await start({ seed: 8 })
    const d = await start({ seed: 7, date: '2026-11-19' })
    const body = async (s: QuoteServer): Promise<string> => (await get(`${s.url}/quotes/AAPL`)).body
    expect(await body(a)).toBe(await body(b))
    expect(await body(a)).not.toBe(await body(c))
    expect(await body(a)).not.toBe(await body(d))
    // The same symbol reads the same from the single and the batch endpoint.
    const batch = JSON.parse((await get(`${a.url}/quotes?symbols=MSFT,AAPL`)).body) as { quotes: Quote[] }
    expect(batch.quotes[1]).toEqual(JSON.parse(await body(a)))
  })

  it('normalises class shares on the way in', async () => {
    const s = await start()
    const dash = JSON.parse((await get(`${s.url}/quotes/BRK-B`)).body) as Quote
    const dot = JSON.parse((await get(`${s.url}/quotes/BRK.B`)).body) as Quote
    expect(dash).toEqual(dot)
    expect(dot.symbol).toBe('BRK.B')
  })
})

describe('startQuoteServer routes and errors', () => {
  it('answers 400 for an invalid symbol, 404 for an unknown one or route, per-symbol errors in a batch', async () => {
    const s = await start({ knownSymbols: ['AAPL', 'MSFT'], maxBatchSize: 3 })
    expect((await get(`${s.url}/quotes/%5EGSPC`)).status).toBe(400)
    expect((await get(`${s.url}/quotes/ZZZ`)).status).toBe(404)
    expect((await get(`${s.url}/nothing`)).status).toBe(404)
    expect((await get(`${s.url}/quotes?symbols=`)).status).toBe(400)
    expect((await get(`${s.url}/quotes?symbols=A,B,C,D`)).status).toBe(400)
    const batch = JSON.parse((await get(`${s.url}/quotes?symbols=AAPL,ZZZ,^X`)).body) as {
      quotes: Quote[]
      errors: { symbol: string; code: string }[]
    }
    expect(batch.quotes.map((q) => q.symbol)).toEqual(['AAPL'])
    expect(batch.errors.map((e) => [e.symbol, e.code])).toEqual([
      ['ZZZ', 'not_found'],
      ['^X', 'invalid_symbol'],
    ])
    expect(s.stats().byStatus).toEqual({ '200': 1, '400': 3, '404': 2 })
    expect(s.stats().quotesServed).toBe(1)
  })

  it('serves the Alpha Vantage GLOBAL_QUOTE shape: every value a string, 4 decimals', async () => {
    const s = await start()
    const av = JSON.parse((await get(`${s.url}/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=demo`)).body) as {
      'Global Quote': Record<string, string>
    }
    const native = JSON.parse((await get(`${s.url}/quotes/IBM`)).body) as Quote
    const g = av['Global Quote']
    expect(Object.keys(g)).toEqual([
      '01. symbol',
      '02. open',
      '03. high',
      '04. low',
      '05. price',
      '06. volume',
      '07. latest trading day',
      '08. previous close',
      '09. change',
      '10. change percent',
    ])
    expect(g['05. price']).toBe(native.last.toFixed(4))
    expect(g['07. latest trading day']).toBe('2026-11-20')
    expect(g['10. change percent']).toMatch(/^-?\d+\.\d{4}%$/)
    const noKey = JSON.parse((await get(`${s.url}/query?function=GLOBAL_QUOTE&symbol=IBM`)).body) as object
    expect(noKey).toHaveProperty('Error Message')
  })

  it('validates its options', async () => {
    await expect(startQuoteServer({ errorRate: 2 })).rejects.toThrow(InvalidOptionError)
    await expect(startQuoteServer({ latencyMs: -1 })).rejects.toThrow(/latencyMs/)
    await expect(startQuoteServer({ date: '2026-13-45' })).rejects.toThrow(/date/)
    await expect(startQuoteServer({ faultPlan: { A: ['boom' as never] } })).rejects.toThrow(/faultPlan\.A/)
    await expect(startQuoteServer({ errorStatus: 404 })).rejects.toThrow(/errorStatus/)
  })
})

describe('startQuoteServer faults', () => {
  it('follows a fault plan per key, then serves normally', async () => {
    const s = await start({ faultPlan: { AAPL: ['error', 'rate_limit', null, 'malformed'] }, retryAfterSeconds: 0.25 })
    const r1 = await get(`${s.url}/quotes/AAPL`)
    expect(r1.status).toBe(503)
    expect(r1.headers['retry-after']).toBe('0.25')
    const r2 = await get(`${s.url}/quotes/AAPL`)
    expect(r2.status).toBe(429)
    expect((await get(`${s.url}/quotes/AAPL`)).status).toBe(200)
    const r4 = await get(`${s.url}/quotes/AAPL`)
    expect(r4.status).toBe(200)
    expect(() => JSON.parse(r4.body) as unknown).toThrow()
    expect((await get(`${s.url}/quotes/AAPL`)).status).toBe(200)
    expect(s.stats().faults).toMatchObject({ error: 1, rate_limit: 1, malformed: 1 })
  })

  it('writes Retry-After as an HTTP-date when asked', async () => {
    const s = await start({ faultPlan: { X: ['rate_limit'] }, retryAfterSeconds: 2, retryAfterFormat: 'http-date' })
    const r = await get(`${s.url}/quotes/X`)
    const at = Date.parse(String(r.headers['retry-after']))
    expect(String(r.headers['retry-after'])).toMatch(/GMT$/)
    expect(at).toBeGreaterThan(Date.now())
  })

  it('injects faults at the configured rates, deterministically for a seed', async () => {
    const rates = { seed: 3, errorRate: 0.1, rateLimitRate: 0.05, malformedRate: 0.05, retryAfterSeconds: 0 }
    const a = await start(rates)
    const b = await start(rates)
    const statuses = async (s: QuoteServer): Promise<number[]> => {
      const out: number[] = []
      for (let i = 0; i < 400; i++) out.push((await get(`${s.url}/quotes/S${i}`)).status)
      return out
    }
    const sa = await statuses(a)
    expect(await statuses(b)).toEqual(sa)
    const f = a.stats().faults
    // 400 draws: expect about 40 / 20 / 20; bounds are > 4 standard deviations wide.
    expect(f.error).toBeGreaterThan(15)
    expect(f.error).toBeLessThan(65)
    expect(f.rate_limit).toBeGreaterThan(3)
    expect(f.rate_limit).toBeLessThan(40)
    expect(f.malformed).toBeGreaterThan(3)
    expect(f.malformed).toBeLessThan(40)
    expect(a.stats().byStatus['503']).toBe(f.error)
  })

  it('rate-limits with a token bucket, answering 429 with the wait for the next token', async () => {
    const s = await start({ rateLimit: { requestsPerSecond: 0.5, burst: 2 } })
    const statuses = [] as number[]
    let retryAfter: unknown
    for (let i = 0; i < 4; i++) {
      const r = await get(`${s.url}/quotes/AAPL`)
      statuses.push(r.status)
      if (r.status === 429) retryAfter = r.headers['retry-after']
    }
    expect(statuses).toEqual([200, 200, 429, 429])
    // One token every 2 s: the wait is just under 2 s.
    expect(Number(retryAfter)).toBeGreaterThan(1)
    expect(Number(retryAfter)).toBeLessThanOrEqual(2)
  })

  it('closes connections beyond maxConnections and counts them', async () => {
    const { Client } = await import('undici')
    const s = await start({ maxConnections: 1, latencyMs: 100 })
    const c1 = new Client(s.url)
    const c2 = new Client(s.url)
    const first = c1.request({ path: '/quotes/A', method: 'GET' })
    while (s.stats().requests === 0) await new Promise((r) => setTimeout(r, 5))
    const second = await c2.request({ path: '/quotes/B', method: 'GET' }).catch((e: unknown) => e)
    expect(second).toBeInstanceOf(Error)
    expect((await (await first).body.json()) as Quote).toMatchObject({ symbol: 'A' })
    expect(s.stats().droppedConnections).toBe(1)
    expect(s.stats().peakConnections).toBe(1)
    await Promise.all([c1.close(), c2.close()])
  })
})
