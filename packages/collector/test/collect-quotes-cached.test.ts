import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TtlCache, type CacheWarning } from '@ttapi/cache'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  collectQuotesCached,
  quotesCacheKey,
  sp500Symbols,
  startQuoteServer,
  type QuoteServer,
} from '../src/index.ts'

let server: QuoteServer
const symbols = sp500Symbols.slice(0, 40)

beforeAll(async () => {
  server = await startQuoteServer({ latencyMs: 0, jitterMs: 0, seed: 7, date: '2026-11-26' })
})
afterAll(async () => {
  await server.close()
})

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

/** A cache in a fresh temp directory on a settable clock, collecting its warnings. */
async function setup(ttl = 60_000) {
  let t = 1_700_000_000_000
  const clock = { now: () => t, advance: (ms: number) => void (t += ms) }
  const dir = await mkdtemp(join(tmpdir(), 'ttapi-collector-test-'))
  dirs.push(dir)
  const warnings: CacheWarning[] = []
  const cache = new TtlCache({ dir, ttl, now: clock.now, onWarning: (w) => void warnings.push(w) })
  return { clock, dir, cache, warnings }
}

describe('collectQuotesCached', () => {
  it('collects, then serves from memory, then from disk in a new cache; the server is not asked again', async () => {
    const { cache, dir, clock, warnings } = await setup()
    server.resetStats()
    const first = await collectQuotesCached(symbols, { cache, source: server.url })
    expect(first.source).toBe('collected')
    expect(first.quotes.map((q) => q.symbol)).toEqual(symbols)
    expect(first.failures).toEqual([])
    expect(first.stats.symbols).toBe(40)
    // The caller got its result before the background write landed.
    expect(cache.stats().pendingWrites).toBe(1)
    await cache.flush()
    const requests = server.stats().requests
    expect(requests).toBe(40)

    const fromMemory = await collectQuotesCached(symbols, { cache, source: server.url })
    expect(fromMemory.source).toBe('memory')
    expect(fromMemory.quotes).toBe(first.quotes)

    const other = new TtlCache({ dir, now: clock.now })
    const fromDisk = await collectQuotesCached(symbols, { cache: other, source: server.url })
    expect(fromDisk.source).toBe('disk')
    expect(fromDisk.quotes).toEqual(first.quotes)
    expect(fromDisk.stats).toEqual(first.stats)
    expect(fromDisk.key).toBe(quotesCacheKey(symbols))
    expect(server.stats().requests).toBe(requests)
    expect(warnings).toEqual([])
  })

  it('collects again once the ttl has passed', async () => {
    const { cache, clock } = await setup(1000)
    await collectQuotesCached(symbols, { cache, source: server.url })
    clock.advance(999)
    expect((await collectQuotesCached(symbols, { cache, source: server.url })).source).toBe('memory')
    clock.advance(1)
    server.resetStats()
    const again = await collectQuotesCached(symbols, { cache, source: server.url })
    expect(again.source).toBe('collected')
    expect(server.stats().requests).toBe(40)
    await cache.flush()
  })

  it('serves a stale collection inside the window and refreshes it once in the background', async () => {
    const { cache, clock } = await setup(1000)
    await collectQuotesCached(symbols, { cache, source: server.url })
    clock.advance(1500)
    server.resetStats()
    const options = { cache, source: server.url, staleWhileRevalidate: 5000 }
    const stale = await Promise.all([collectQuotesCached(symbols, options), collectQuotesCached(symbols, options)])
    expect(stale.map((r) => [r.source, r.stale, r.ageMs])).toEqual([
      ['memory', true, 1500],
      ['memory', true, 1500],
    ])
    while (cache.peek(quotesCacheKey(symbols))?.isExpired !== false) await new Promise((r) => setTimeout(r, 5))
    expect(server.stats().requests).toBe(40)
    const fresh = await collectQuotesCached(symbols, options)
    expect([fresh.source, fresh.stale, fresh.ageMs]).toEqual(['memory', false, 0])
    await cache.flush()
  })

  it('shares one collection among concurrent cold calls', async () => {
    const { cache } = await setup()
    server.resetStats()
    const results = await Promise.all(
      Array.from({ length: 10 }, () => collectQuotesCached(symbols, { cache, source: server.url })),
    )
    expect(results.every((r) => r.source === 'collected' && r.quotes.length === 40)).toBe(true)
    expect(server.stats().requests).toBe(40)
    await cache.flush()
  })

  it('keeps the failures of the collection with the cached quotes', async () => {
    const { cache, dir, clock } = await setup()
    const withUnknown = [...symbols.slice(0, 5), 'ZZZQ', 'ZZZR']
    const local = await startQuoteServer({ latencyMs: 0, jitterMs: 0, knownSymbols: symbols })
    try {
      const first = await collectQuotesCached(withUnknown, { cache, source: local.url })
      expect(first.quotes).toHaveLength(5)
      expect(first.failures.map((f) => [f.symbol, f.code])).toEqual([
        ['ZZZQ', 'not_found'],
        ['ZZZR', 'not_found'],
      ])
      await cache.flush()
      const fromDisk = await collectQuotesCached(withUnknown, {
        cache: new TtlCache({ dir, now: clock.now }),
        source: local.url,
      })
      expect(fromDisk.source).toBe('disk')
      expect(fromDisk.failures).toEqual(first.failures)
    } finally {
      await local.close()
    }
  })

  it('does not cache a collection that got no quote, and refresh forces a collection', async () => {
    const { cache } = await setup()
    const local = await startQuoteServer({ latencyMs: 0, jitterMs: 0, knownSymbols: ['AAPL'] })
    try {
      const none = await collectQuotesCached(['ZZZQ'], { cache, source: local.url })
      expect([none.source, none.quotes.length, none.failures.length]).toEqual(['collected', 0, 1])
      expect(cache.stats().pendingWrites).toBe(0)
      await collectQuotesCached(['AAPL'], { cache, source: local.url })
      local.resetStats()
      const forced = await collectQuotesCached(['AAPL'], { cache, source: local.url, refresh: true })
      expect(forced.source).toBe('collected')
      expect(local.stats().requests).toBe(1)
      await cache.flush()
    } finally {
      await local.close()
    }
  })

  it('rejects a missing cache and a non-array symbol list', async () => {
    await expect(collectQuotesCached(symbols, { cache: {} as never, source: server.url })).rejects.toThrow(
      InvalidOptionError,
    )
    const { cache } = await setup()
    await expect(collectQuotesCached('AAPL' as never, { cache, source: server.url })).rejects.toThrow(/`symbols`/)
  })
})
