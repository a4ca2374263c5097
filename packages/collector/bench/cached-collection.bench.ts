// Suite `cache`: the 507-quote universe (sp500's 503 + 4 synthetic, see _universe.ts) through collectQuotesCached
// and the TTL cache. The suite kept its name when it moved here from @ttapi/cache; the report keys a case by package,
// suite and case, so runs before the move are under @ttapi/cache and the first run after it has no baseline.
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { defineSuite, type SuiteDefinition } from '@ttapi/bench'
import { TtlCache } from '@ttapi/cache'
import cacache from 'cacache'
import { quotesToColumns } from '../src/_quote-columns.ts'
import {
  collectQuotesCached,
  quotesCacheKey,
  startQuoteServerProcess,
  type CachedCollection,
  type Quote,
  type QuoteServerProcess,
} from '../src/index.ts'
import { SERVER, UNIVERSE, universeQuotes } from './_universe.ts'

const N = UNIVERSE.length // 507
// Never contacted: every timed call must be served from the cache (each call checks `source`).
const UNUSED_SOURCE = 'http://127.0.0.1:9'
const HOUR = 3_600_000

function expectSource(actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`bench: expected the ${expected} layer to serve, got ${actual}`)
}

async function populatedDir(tmpDir: string): Promise<{ dir: string; bytes: number }> {
  const dir = join(tmpDir, 'cache')
  const quotes = await universeQuotes()
  const cache = new TtlCache({ dir, ttl: HOUR })
  await cache.set(quotesCacheKey(UNIVERSE), collectionOf(quotes))
  // Warm the page cache: the case measures a new instance over warm files.
  await new TtlCache({ dir }).get(quotesCacheKey(UNIVERSE))
  const names = await readdir(dir)
  const bytes = (
    await stat(
      join(
        dir,
        names.find((n) => n.endsWith('.ttc'))!,
      ),
    )
  ).size
  return { dir, bytes }
}

function toColumns(value: unknown): CachedCollection {
  const v = value as Omit<CachedCollection, 'quotes'> & { quotes: Quote[] }
  return { ...v, quotes: quotesToColumns(v.quotes) }
}

function collectionOf(quotes: Quote[]): CachedCollection {
  return {
    quotes: quotesToColumns(quotes),
    failures: [],
    issues: [],
    stats: { symbols: quotes.length, requests: quotes.length, retries: 0, bytes: 0, elapsedMs: 0, maxInFlight: 0 },
  }
}

const suite: SuiteDefinition = defineSuite({
  suite: 'cache',
  cases: [
    {
      name: 'collect_symbols_cached_disk',
      unit: 'symbols',
      itemsPerOp: N,
      bytesPerOp: (state: { bytes: number }) => state.bytes,
      setup: ({ tmpDir }) => populatedDir(tmpDir),
      // A new cache instance each time: the memory layer is empty, the file is in the page cache.
      fn: async ({ dir }: { dir: string }) => {
        const cache = new TtlCache({ dir })
        const r = await collectQuotesCached(UNIVERSE, { cache, source: UNUSED_SOURCE })
        expectSource(r.source, 'disk')
        return r.quotes.length
      },
    },
    {
      name: 'collect_symbols_cached_memory',
      unit: 'symbols',
      itemsPerOp: N,
      setup: async ({ tmpDir }) => {
        const { dir } = await populatedDir(tmpDir)
        const cache = new TtlCache({ dir })
        expectSource((await collectQuotesCached(UNIVERSE, { cache, source: UNUSED_SOURCE })).source, 'disk')
        return { cache }
      },
      fn: async ({ cache }: { cache: TtlCache }) => {
        const r = await collectQuotesCached(UNIVERSE, { cache, source: UNUSED_SOURCE })
        expectSource(r.source, 'memory')
        return r.quotes.length
      },
    },
    {
      // What a caller waits for after a collection, exactly as collectQuotesCached persists it: the
      // quotes go to memory as they are; turning them into columns (serialize) runs in the background.
      name: 'persist_in_background_caller_cost',
      unit: 'symbols',
      itemsPerOp: N,
      setup: async ({ tmpDir }) => {
        const quotes = await universeQuotes()
        const cache = new TtlCache({ dir: join(tmpDir, 'cache'), ttl: HOUR })
        const stats = collectionOf(quotes).stats
        return { cache, quotes, stats }
      },
      fn: ({ cache, quotes, stats }: { cache: TtlCache; quotes: Quote[]; stats: CachedCollection['stats'] }) => {
        cache.persistInBackground('quotes:persist', { quotes, failures: [], issues: [], stats }, HOUR, {
          serialize: toColumns,
        })
      },
      teardown: ({ cache }: { cache: TtlCache }) => cache.flush(),
    },
    {
      // The cold side of cold_vs_cached: the whole collection against the embedded server (child
      // process, 20 ms latency, no jitter), through collectQuotesCached with `refresh` so it always collects.
      name: 'cold_collection',
      unit: 'symbols',
      itemsPerOp: N,
      minSamples: 5,
      maxTimeMs: 2500,
      setup: async ({ tmpDir }) => {
        const server = await startQuoteServerProcess({ ...SERVER, latencyMs: 20, jitterMs: 0 })
        const cache = new TtlCache({ dir: join(tmpDir, 'cache'), ttl: HOUR })
        return { server, cache }
      },
      fn: async ({ server, cache }: { server: QuoteServerProcess; cache: TtlCache }) => {
        const r = await collectQuotesCached(UNIVERSE, { cache, source: server.url, refresh: true })
        expectSource(r.source, 'collected')
        if (r.quotes.length !== N) throw new Error(`bench: cold collection got ${r.quotes.length} quotes`)
      },
      teardown: async ({ server, cache }: { server: QuoteServerProcess; cache: TtlCache }) => {
        await cache.flush()
        await server.stop()
      },
    },
    {
      // Peer: the same 507-quote load from disk through cacache (npm's content-addressable cache), JSON values.
      name: 'collect_symbols_cached_disk_cacache',
      unit: 'symbols',
      itemsPerOp: N,
      bytesPerOp: (state: { bytes: number }) => state.bytes,
      setup: async ({ tmpDir }) => {
        const dir = join(tmpDir, 'cacache')
        await mkdir(dir, { recursive: true })
        const quotes = await universeQuotes()
        const body = JSON.stringify({ quotes, failures: [], issues: [] })
        await cacache.put(dir, 'quotes:sp500', body)
        await cacache.get(dir, 'quotes:sp500')
        return { dir, bytes: Buffer.byteLength(body) }
      },
      fn: async ({ dir }: { dir: string }) => {
        const { data } = await cacache.get(dir, 'quotes:sp500')
        const { quotes } = JSON.parse(data.toString('utf8')) as { quotes: Quote[] }
        if (quotes.length !== N) throw new Error('bench: cacache returned the wrong value')
        return quotes.length
      },
    },
  ],
})

export default suite
