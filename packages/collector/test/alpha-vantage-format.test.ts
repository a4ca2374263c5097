import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alphaVantageFormat } from '../src/alpha-vantage-format.ts'
import { collectQuotes } from '../src/collect-quotes.ts'
import { InvalidOptionError, MalformedResponseError } from '../src/errors.ts'
import { HttpQuoteSource } from '../src/http-quote-source.ts'
import { startQuoteServer } from '../src/quote-server.ts'
import type { Quote, QuoteServer } from '../src/types.ts'

// A GLOBAL_QUOTE answer in the documented shape (https://www.alphavantage.co/documentation/#latestprice): every
// value a string, prices with four decimals, the change percent with a % sign. Numbers chosen for this test.
const DOCUMENTED_SHAPE = JSON.stringify({
  'Global Quote': {
    '01. symbol': 'IBM',
    '02. open': '226.0000',
    '03. high': '229.3000',
    '04. low': '225.8200',
    '05. price': '228.9800',
    '06. volume': '4036621',
    '07. latest trading day': '2026-11-20',
    '08. previous close': '226.2200',
    '09. change': '2.7600',
    '10. change percent': '1.2201%',
  },
})

describe('alphaVantageFormat.parse', () => {
  const av = alphaVantageFormat({ apiKey: 'k' })
  it('reads the documented GLOBAL_QUOTE shape into a Quote (bid/ask null: the endpoint has none)', () => {
    expect(av.parse(DOCUMENTED_SHAPE, ['IBM'])).toEqual([
      {
        symbol: 'IBM',
        time: Date.UTC(2026, 10, 20, 21),
        bid: null,
        ask: null,
        last: 228.98,
        open: 226,
        high: 229.3,
        low: 225.82,
        close: 228.98,
        previousClose: 226.22,
        volume: 4036621,
      },
    ])
    expect(av.requestPath(['BRK.B'])).toBe('/query?function=GLOBAL_QUOTE&symbol=BRK.B&apikey=k')
  })

  it('maps the provider answers: empty quote -> not_found; Error Message, Note, Information -> provider_error', () => {
    expect(av.parse('{"Global Quote":{}}', ['ZZZ'])[0]).toMatchObject({ code: 'not_found' })
    for (const key of ['Error Message', 'Note', 'Information']) {
      const [p] = av.parse(JSON.stringify({ [key]: 'Thank you for using Alpha Vantage!' }), ['IBM'])
      expect(p).toMatchObject({ code: 'provider_error' })
      expect((p as { reason: string }).reason).toContain(key)
    }
  })

  it('throws MalformedResponseError for bodies that are not the format', () => {
    expect(() => av.parse('<html>', ['IBM'])).toThrow(MalformedResponseError)
    expect(() => av.parse('{"Global Quote": 3}', ['IBM'])).toThrow(/Global Quote/)
    const badPrice = DOCUMENTED_SHAPE.replace('"228.9800"', '"n/a"')
    expect(() => av.parse(badPrice, ['IBM'])).toThrow(/"05. price" is "n\/a"/)
    const badDay = DOCUMENTED_SHAPE.replace('2026-11-20', 'yesterday')
    expect(() => av.parse(badDay, ['IBM'])).toThrow(/latest trading day/)
    expect(() => alphaVantageFormat({ closeHourUtc: 25 })).toThrow(InvalidOptionError)
  })
})

describe('alphaVantageFormat against the loopback server', () => {
  let server: QuoteServer
  beforeAll(async () => {
    server = await startQuoteServer({
      latencyMs: 0,
      jitterMs: 0,
      date: '2026-11-20',
      knownSymbols: ['IBM', 'AAPL', 'MSFT', 'BRK.B'],
      faultPlan: { MSFT: ['malformed'] },
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('collects quotes in that format equal to the native ones (at 4-decimal precision), with failures', async () => {
    const source = new HttpQuoteSource({ url: server.url, format: alphaVantageFormat({ apiKey: 'demo' }) })
    const r = await collectQuotes(['IBM', 'AAPL', 'BRK-B', 'MSFT', 'NOPE'], { source })
    await source.close()
    expect(r.quotes.map((q) => q.symbol)).toEqual(['IBM', 'AAPL', 'BRK.B'])
    expect(r.failures.map((f) => [f.symbol, f.code])).toEqual([
      ['MSFT', 'malformed'],
      ['NOPE', 'not_found'],
    ])
    const native = await collectQuotes(['IBM', 'AAPL', 'BRK.B'], { source: server.url })
    for (let i = 0; i < 3; i++) {
      const a = r.quotes[i]!
      const n = native.quotes[i] as Quote
      expect(a).toEqual({ ...n, bid: null, ask: null })
    }
  })

  it('reports a missing API key as the provider error it is', async () => {
    const source = new HttpQuoteSource({ url: server.url, format: alphaVantageFormat({ apiKey: '' }) })
    const out = await source.fetchQuote('IBM')
    await source.close()
    expect(out).toMatchObject({ state: 'failed', failure: { code: 'provider_error', lastStatus: 200 } })
  })
})
