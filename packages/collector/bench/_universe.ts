// The 507-symbol universe of the cache benchmarks: the shipped sp500 list has 503 symbols, so four
// synthetic tickers (served by the embedded quote server like any other) make 507.
import { collectQuotes, sp500Symbols, startQuoteServer, type Quote } from '../src/index.ts'

/** The four extra synthetic symbols. */
export const EXTRA_SYMBOLS: readonly string[] = ['TTQA', 'TTQB', 'TTQC', 'TTQD']

/** sp500 (503) plus the four extra: 507 symbols, frozen. */
export const UNIVERSE: readonly string[] = Object.freeze([...sp500Symbols, ...EXTRA_SYMBOLS])

/** Server options shared by every case: deterministic prices for one seed and day. */
export const SERVER = { seed: 42, date: '2026-11-26' } as const

/** Collects the universe's 507 quotes from an in-process server with no latency (setup only). */
export async function universeQuotes(): Promise<Quote[]> {
  const server = await startQuoteServer({ ...SERVER, latencyMs: 0, jitterMs: 0 })
  try {
    const { quotes, failures } = await collectQuotes(UNIVERSE, { source: server.url })
    if (quotes.length !== UNIVERSE.length)
      throw new Error(`bench: expected 507 quotes, got ${quotes.length} (${failures.length} failed)`)
    return quotes
  } finally {
    await server.close()
  }
}
