import { createHash } from 'node:crypto'
import { TtlCache, type CacheEntry } from '@ttapi/cache'
import { columnsToQuotes, isQuoteColumns, quotesToColumns } from './_quote-columns.ts'
import { collectQuotes } from './collect-quotes.ts'
import { InvalidOptionError } from './errors.ts'
import type {
  CachedCollection,
  CollectQuotesResult,
  Quote,
  CollectQuotesCachedOptions,
  CollectQuotesCachedResult,
  QuoteColumns,
} from './types.ts'

// What the memory layer holds after a collection: the quotes as collected. The disk holds CachedCollection
// (quotes as columns), made by `toStored` in the background so the caller never pays for it.
type CollectedValue = Omit<CachedCollection, 'quotes'> & { quotes: Quote[] }

function toStored(value: unknown): CachedCollection {
  const v = value as CollectedValue
  return { ...v, quotes: quotesToColumns(v.quotes) }
}

// Decoded quotes per stored column set: memory hits hand back the same array without rebuilding it.
const decoded = new WeakMap<QuoteColumns, Quote[]>()
// Keys of frozen symbol lists (such as `sp500Symbols`), which cannot change under us.
const frozenKeys = new WeakMap<readonly string[], string>()

/** Thrown through the single flight when a collection got no quote, so nothing is cached. */
class UncachedCollection extends Error {
  readonly result: CollectQuotesResult
  constructor(result: CollectQuotesResult) {
    super('collector: collection got no quote; not cached')
    this.result = result
  }
}

/**
 * The default cache key of a symbol list: `quotes:` plus a SHA-256 of the symbols as given, in order.
 * @param symbols - The symbol list.
 */
export function quotesCacheKey(symbols: readonly string[]): string {
  const frozen = Object.isFrozen(symbols)
  if (frozen) {
    const known = frozenKeys.get(symbols)
    if (known !== undefined) return known
  }
  const key = 'quotes:' + createHash('sha256').update(symbols.join('\n')).digest('hex').slice(0, 32)
  if (frozen) frozenKeys.set(symbols, key)
  return key
}

function quotesOf(columns: QuoteColumns): Quote[] {
  let quotes = decoded.get(columns)
  if (quotes === undefined) {
    quotes = columnsToQuotes(columns)
    decoded.set(columns, quotes)
  }
  return quotes
}

function isCollection(value: unknown): value is CachedCollection | CollectedValue {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<CachedCollection | CollectedValue>
  return (
    (Array.isArray(v.quotes) || isQuoteColumns(v.quotes)) &&
    Array.isArray(v.failures) &&
    Array.isArray(v.issues) &&
    typeof v.stats === 'object'
  )
}

function served(
  entry: CacheEntry<CachedCollection | CollectedValue>,
  key: string,
  source: CollectQuotesCachedResult['source'],
): CollectQuotesCachedResult {
  const { quotes, failures, issues, stats } = entry.value
  return {
    quotes: Array.isArray(quotes) ? quotes : quotesOf(quotes),
    failures,
    issues,
    stats,
    source,
    stale: entry.isExpired,
    collectedAt: entry.createdAt,
    ageMs: entry.ageMs,
    key,
  }
}

/**
 * Quotes for `symbols`: from the cache when a fresh collection of the same list is there (memory, then
 * disk), else collected with `collectQuotes` and persisted in the background (the caller does not wait
 * for the write). Concurrent calls for one list share one collection. The result says which it did.
 * Returned arrays are shared with the cache: treat them as read-only.
 *
 * @param symbols - The symbol list (the cache key is derived from it, in order).
 * @param options - `cache`, `ttl`, `staleWhileRevalidate`, `key`, `refresh`, plus every `collectQuotes` option.
 * @example
 * ```ts
 * const cache = new TtlCache({ ttl: 60_000 })
 * const r = await collectQuotesCached(sp500Symbols, { cache, source: 'http://127.0.0.1:8080' })
 * console.log(r.source, r.quotes.length, r.failures.length) // 'collected' the first time, then 'memory'
 * ```
 */
export async function collectQuotesCached(
  symbols: readonly string[],
  options: CollectQuotesCachedOptions,
): Promise<CollectQuotesCachedResult> {
  if (!Array.isArray(symbols)) {
    throw new InvalidOptionError(`collector: Expected \`symbols\` to be an array of strings, got \`${typeof symbols}\``)
  }
  const { cache, ttl, staleWhileRevalidate = 0, key: keyOption, refresh = false, cacheEmpty = false } = options
  if (!(cache instanceof TtlCache)) {
    throw new InvalidOptionError('collector: Expected `cache` to be a TtlCache, got `' + typeof cache + '`')
  }
  const key = keyOption ?? quotesCacheKey(symbols)

  const collect = async (): Promise<CollectedValue> => {
    const result = await collectQuotes(symbols, collectOptions(options))
    if (result.quotes.length === 0 && !cacheEmpty) throw new UncachedCollection(result)
    return { quotes: result.quotes, failures: result.failures, issues: result.issues, stats: result.stats }
  }
  const loadOptions = { ttl, staleWhileRevalidate, serialize: toStored }

  try {
    if (refresh) {
      const value = await collect()
      cache.persistInBackground(key, value, ttl, { serialize: toStored })
      return collected(cache, key, value)
    }
    const entry = await cache.load<CachedCollection | CollectedValue>(key)
    if (entry !== undefined && isCollection(entry.value)) {
      if (!entry.isExpired) return served(entry, key, entry.source)
      const now = entry.createdAt + entry.ageMs
      if (now < entry.expiresAt + staleWhileRevalidate) {
        // Inside the window: serve it now; getOrLoad starts (at most) one background refresh.
        void cache.getOrLoad(key, collect, loadOptions).catch(() => undefined)
        return served(entry, key, entry.source)
      }
    }
    // A miss: concurrent callers share one collection (getOrLoad's single flight), persisted in the background.
    const value = await cache.getOrLoad(key, collect, { ttl, serialize: toStored })
    return collected(cache, key, value)
  } catch (error) {
    if (error instanceof UncachedCollection) {
      return { ...error.result, source: 'collected', stale: false, collectedAt: Date.now(), ageMs: 0, key }
    }
    throw error
  }
}

function collected(cache: TtlCache, key: string, value: CollectedValue): CollectQuotesCachedResult {
  const entry = cache.peek<CollectedValue>(key)
  const fresh = entry !== undefined && entry.value === value
  return served(
    {
      value,
      isExpired: false,
      ageMs: fresh ? entry.ageMs : 0,
      createdAt: fresh ? entry.createdAt : Date.now(),
      expiresAt: Infinity,
      source: 'memory',
    },
    key,
    'collected',
  )
}

function collectOptions(options: CollectQuotesCachedOptions): Parameters<typeof collectQuotes>[1] {
  const {
    cache: _cache,
    ttl: _ttl,
    staleWhileRevalidate: _swr,
    key: _key,
    refresh: _refresh,
    cacheEmpty: _empty,
    ...rest
  } = options
  return rest
}
