import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CacheOptionError, CacheSerializeError, TtlCache, defaultCacheDir } from '../src/index.ts'
import { keyFileName } from '../src/_disk-store.ts'
import { manualClock, tempDir, warningSink } from './_helpers.ts'

async function makeCache(options: ConstructorParameters<typeof TtlCache>[0] = {}) {
  const clock = manualClock()
  const sink = warningSink()
  const dir = options.dir ?? (await tempDir())
  const cache = new TtlCache({ now: clock.now, onWarning: sink.onWarning, ...options, dir })
  return { cache, clock, dir, ...sink }
}

describe('TtlCache: get, set, load, expiry', () => {
  it('serves a value from memory, then from disk in a new instance', async () => {
    const { cache, dir, clock } = await makeCache()
    await cache.set('k', { a: [1, 2, 3] }, { ttl: 1000 })
    expect(await cache.get('k')).toEqual({ a: [1, 2, 3] })
    const other = new TtlCache({ dir, now: clock.now })
    const entry = await other.load('k')
    expect(entry).toMatchObject({ value: { a: [1, 2, 3] }, isExpired: false, ageMs: 0, source: 'disk' })
    expect(other.stats()).toMatchObject({ hits: 1, diskHits: 1, misses: 0 })
    expect(await other.get('k')).toEqual({ a: [1, 2, 3] })
    expect(other.stats()).toMatchObject({ hits: 2, memoryHits: 1 })
  })

  it('expires by the injected clock: get misses, load reports isExpired and age', async () => {
    const { cache, clock, dir } = await makeCache()
    await cache.set('k', 'v', { ttl: 1000 })
    clock.advance(999)
    expect(await cache.get('k')).toBe('v')
    clock.advance(1)
    expect(await cache.get('k')).toBeUndefined()
    expect(await cache.load('k')).toMatchObject({ value: 'v', isExpired: true, ageMs: 1000 })
    // The disk layer agrees.
    const other = new TtlCache({ dir, now: clock.now })
    expect(await other.get('k')).toBeUndefined()
    expect(await other.load('k')).toMatchObject({ value: 'v', isExpired: true, ageMs: 1000, source: 'disk' })
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, staleHits: 1 })
  })

  it('uses the default ttl and accepts Infinity', async () => {
    const { cache, clock } = await makeCache({ ttl: 50 })
    await cache.set('short', 1)
    await cache.set('forever', 2, { ttl: Infinity })
    clock.advance(10 ** 12)
    expect(await cache.get('short')).toBeUndefined()
    expect(await cache.get('forever')).toBe(2)
  })

  it('misses a key it never saw, deletes, and clears', async () => {
    const { cache, dir } = await makeCache()
    expect(await cache.get('nope')).toBeUndefined()
    expect(await cache.load('nope')).toBeUndefined()
    await cache.set('a', 1)
    await cache.set('b', 2)
    expect(await cache.delete('a')).toBe(true)
    expect(await cache.delete('a')).toBe(false)
    expect(existsSync(join(dir, keyFileName('a')))).toBe(false)
    expect(await cache.get('b')).toBe(2)
    await cache.clear()
    expect(await cache.get('b')).toBeUndefined()
    expect(await readdir(dir)).toEqual([])
  })

  it('a newer value written by another instance wins over an expired memory copy', async () => {
    const { cache, clock, dir } = await makeCache()
    await cache.set('k', 'old', { ttl: 100 })
    clock.advance(200)
    const writer = new TtlCache({ dir, now: clock.now })
    await writer.set('k', 'new', { ttl: 100 })
    expect(await cache.get('k')).toBe('new')
  })

  it('stores columnar values and JSON-like values side by side', async () => {
    const { cache, dir, clock } = await makeCache()
    const columns = { symbols: ['A', 'B'], close: Float64Array.from([1.25, 2.5]) }
    await cache.set('cols', columns)
    const other = new TtlCache({ dir, now: clock.now })
    const back = await other.get<typeof columns>('cols')
    expect(back).toEqual(columns)
    expect(back?.close).toBeInstanceOf(Float64Array)
  })

  it('reports a value that cannot be serialised to the caller of set', async () => {
    const { cache } = await makeCache({ codec: 'v8' })
    await expect(cache.set('fn', { f: () => 1 })).rejects.toBeInstanceOf(CacheSerializeError)
  })

  it('rejects bad options and keys with messages that name them', async () => {
    const dir = await tempDir()
    expect(() => new TtlCache({ dir, ttl: 0 })).toThrow(/`ttl` to be a number greater than 0 or Infinity, got `0`/)
    expect(() => new TtlCache({ dir, maxEntries: 1.5 })).toThrow(/`maxEntries` to be an integer from 1 up, got `1.5`/)
    expect(() => new TtlCache({ dir, maxBytes: -1 })).toThrow(CacheOptionError)
    expect(() => new TtlCache({ dir, codec: 'xml' as never })).toThrow(/`codec` to be one of msgpack/)
    expect(() => new TtlCache({ dir: '' })).toThrow(/`dir`/)
    const cache = new TtlCache({ dir })
    await expect(cache.get('')).rejects.toThrow(/`key` to be a non-empty string/)
    await expect(cache.set('k', 1, { ttl: NaN })).rejects.toThrow(/`ttl`/)
    expect(() => cache.persistInBackground('k', 1, -5)).toThrow(/`ttl`/)
    expect(() => cache.getOrLoad('k', 'nope' as never)).toThrow(/`loader` to be a function/)
    expect(() => cache.getOrLoad('k', () => 1, { staleWhileRevalidate: -1 })).toThrow(/`staleWhileRevalidate`/)
  })

  it('defaults to $XDG_CACHE_HOME/ttapi, else ~/.cache/ttapi', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/ttapi')
    expect(defaultCacheDir({})).toMatch(/\.cache\/ttapi$/)
  })
})

describe('TtlCache: getOrLoad', () => {
  it('100 concurrent misses share one load (single flight)', async () => {
    const { cache } = await makeCache()
    let calls = 0
    let release!: (v: string) => void
    const loader = () => {
      calls++
      return new Promise<string>((resolve) => (release = resolve))
    }
    const all = Array.from({ length: 100 }, () => cache.getOrLoad('k', loader))
    // The loader runs after the (async) lookup misses.
    while (calls === 0) await new Promise((r) => setImmediate(r))
    release('v')
    expect(await Promise.all(all)).toEqual(Array(100).fill('v'))
    expect(calls).toBe(1)
    expect(cache.stats().loads).toBe(1)
    // Afterwards it is a memory hit, no new load.
    expect(await cache.getOrLoad('k', loader)).toBe('v')
    expect(calls).toBe(1)
    await cache.flush()
  })

  it('a failed load rejects every waiter, caches nothing, and the next call loads again', async () => {
    const { cache } = await makeCache()
    let calls = 0
    const failing = async () => {
      calls++
      await new Promise((r) => setImmediate(r))
      throw new Error('source down')
    }
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => cache.getOrLoad('k', failing)))
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(calls).toBe(1)
    expect(await cache.getOrLoad('k', () => 'ok')).toBe('ok')
    await cache.flush()
  })

  it('serves the stale value while exactly one refresh runs (stale-while-revalidate)', async () => {
    const { cache, clock } = await makeCache()
    await cache.set('k', 'v1', { ttl: 1000 })
    clock.advance(1500)
    let calls = 0
    let release!: () => void
    const loader = () => {
      calls++
      return new Promise<string>((resolve) => (release = () => resolve('v2')))
    }
    const opts = { ttl: 1000, staleWhileRevalidate: 1000 }
    const first = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('k', loader, opts)))
    expect(first).toEqual(Array(20).fill('v1'))
    // Later callers during the refresh still get the stale value, and no second refresh starts.
    expect(await cache.getOrLoad('k', loader, opts)).toBe('v1')
    expect(calls).toBe(1)
    expect(cache.stats().staleHits).toBeGreaterThanOrEqual(2)
    release()
    await new Promise((r) => setImmediate(r))
    expect(await cache.getOrLoad('k', loader, opts)).toBe('v2')
    expect(calls).toBe(1)
    await cache.flush()
  })

  it('outside the stale window an expired value is a miss that waits for the load', async () => {
    const { cache, clock } = await makeCache()
    await cache.set('k', 'v1', { ttl: 1000 })
    clock.advance(2500)
    expect(await cache.getOrLoad('k', () => 'v2', { staleWhileRevalidate: 1000 })).toBe('v2')
    await cache.flush()
  })

  it('a failed refresh keeps the stale value and raises a warning', async () => {
    const { cache, clock, warnings } = await makeCache()
    await cache.set('k', 'v1', { ttl: 1000 })
    clock.advance(1200)
    const loader = () => Promise.reject(new Error('source down'))
    expect(await cache.getOrLoad('k', loader, { staleWhileRevalidate: 1000 })).toBe('v1')
    for (let i = 0; i < 5 && warnings.length === 0; i++) await new Promise((r) => setImmediate(r))
    expect(warnings.map((w) => w.code)).toEqual(['TTAPI_CACHE_REFRESH_FAILED'])
    expect(await cache.load('k')).toMatchObject({ value: 'v1', isExpired: true })
  })
})

describe('TtlCache: background persistence', () => {
  it('returns before serialising or writing anything; flush lands it', async () => {
    const { cache, dir, clock } = await makeCache()
    let serialised = 0
    const value = {
      get field() {
        serialised++
        return 'x'
      },
    }
    const events: string[] = []
    cache.persistInBackground('k', value, 1000)
    events.push('returned')
    expect(serialised).toBe(0)
    expect(cache.stats().pendingWrites).toBe(1)
    expect(cache.pending).toBe(true)
    expect(existsSync(join(dir, keyFileName('k')))).toBe(false)
    // The memory layer has it already.
    expect(await cache.get('k')).toBe(value)
    const flushed = cache.flush().then(() => events.push('flushed'))
    events.push('caller continues')
    await flushed
    expect(events).toEqual(['returned', 'caller continues', 'flushed'])
    expect(serialised).toBeGreaterThan(0)
    expect(cache.stats()).toMatchObject({ pendingWrites: 0, writes: 1 })
    const other = new TtlCache({ dir, now: clock.now })
    expect(await other.get('k')).toEqual({ field: 'x' })
  })

  it('serialize turns the value into its disk form in the background; memory keeps the value given', async () => {
    const { cache, dir, clock } = await makeCache()
    const calls: unknown[] = []
    const value = { rows: [1, 2, 3] }
    cache.persistInBackground('k', value, 1000, {
      serialize: (v) => {
        calls.push(v)
        return { rows: Float64Array.from((v as typeof value).rows) }
      },
    })
    expect(calls).toEqual([])
    expect(await cache.get('k')).toBe(value)
    await cache.flush()
    expect(calls).toEqual([value])
    const back = await new TtlCache({ dir, now: clock.now }).get<{ rows: Float64Array }>('k')
    expect(back?.rows).toEqual(Float64Array.from([1, 2, 3]))
    expect(() => cache.persistInBackground('k', 1, 1000, { serialize: 5 as never })).toThrow(/`serialize`/)
  })

  it('coalesces queued writes of one key: the latest value lands', async () => {
    const { cache, dir, clock } = await makeCache()
    for (let i = 0; i < 50; i++) cache.persistInBackground('k', i, 1000)
    await cache.flush()
    expect(cache.stats().writes).toBe(1)
    expect(await new TtlCache({ dir, now: clock.now }).get('k')).toBe(49)
  })

  it('await using waits for pending writes ([Symbol.asyncDispose])', async () => {
    const dir = await tempDir()
    {
      await using cache = new TtlCache({ dir })
      cache.persistInBackground('k', [1, 2, 3])
    }
    expect(existsSync(join(dir, keyFileName('k')))).toBe(true)
  })

  it('a failed background write is a counted warning, not an unhandled rejection', async () => {
    const { cache, warnings } = await makeCache({ codec: 'v8' })
    cache.persistInBackground('k', { f: () => 1 }, 1000)
    await cache.flush()
    expect(cache.stats().writeErrors).toBe(1)
    expect(warnings[0]).toMatchObject({ code: 'TTAPI_CACHE_WRITE_FAILED', key: 'k' })
  })

  it('get sees a queued value even when the memory layer dropped it', async () => {
    const { cache } = await makeCache({ maxMemoryEntries: 1 })
    cache.persistInBackground('a', 'A', 1000)
    cache.persistInBackground('b', 'B', 1000)
    expect(await cache.get('a')).toBe('A')
    await cache.flush()
    expect(await cache.get('a')).toBe('A')
  })
})

describe('TtlCache: limits and eviction', () => {
  it('evicts by entry count, least recently used first', async () => {
    const { cache, dir, clock } = await makeCache({ maxEntries: 3 })
    await cache.set('a', 1)
    await cache.set('b', 2)
    await cache.set('c', 3)
    // Touch a (a disk read in a fresh instance marks it used) so b is the least recently used.
    const reader = new TtlCache({ dir, now: clock.now, maxEntries: 3 })
    expect(await reader.get('a')).toBe(1)
    await new Promise((r) => setTimeout(r, 20))
    await cache.get('a')
    await cache.set('d', 4)
    const fresh = new TtlCache({ dir, now: clock.now })
    expect(await fresh.get('b')).toBeUndefined()
    expect(await fresh.get('a')).toBe(1)
    expect(await fresh.get('d')).toBe(4)
    expect(cache.stats()).toMatchObject({ evictions: 1, entries: 3 })
    expect((await readdir(dir)).length).toBe(3)
  })

  it('evicts expired entries first', async () => {
    const { cache, dir, clock } = await makeCache({ maxEntries: 2 })
    await cache.set('long', 1, { ttl: 10_000 })
    await cache.set('short', 2, { ttl: 10 })
    clock.advance(100)
    await cache.set('new', 3, { ttl: 10_000 })
    const fresh = new TtlCache({ dir, now: clock.now })
    expect(await fresh.load('short')).toBeUndefined()
    expect(await fresh.get('long')).toBe(1)
  })

  it('evicts by bytes on disk', async () => {
    const { cache, dir, clock } = await makeCache({ maxBytes: 25_000 })
    const blob = (n: number) => new Float64Array(1000).fill(n) // ~8 KB per entry file
    for (let i = 0; i < 6; i++) await cache.set(`k${i}`, blob(i))
    const { bytes, evictions, entries } = cache.stats()
    expect(bytes).toBeLessThanOrEqual(25_000)
    expect(entries).toBe(3)
    expect(evictions).toBe(3)
    const fresh = new TtlCache({ dir, now: clock.now })
    expect(await fresh.get('k0')).toBeUndefined()
    expect(await fresh.get('k5')).toEqual(blob(5))
  })

  it('counts files already in the directory (a scan on the first write)', async () => {
    const dir = await tempDir()
    const first = new TtlCache({ dir })
    for (let i = 0; i < 5; i++) await first.set(`k${i}`, i)
    const counter = new TtlCache({ dir })
    expect(counter.stats().entries).toBe(0)
    const usage = await counter.diskUsage()
    expect(usage.entries).toBe(5)
    expect(usage.bytes).toBeGreaterThan(5 * 48)
    const second = new TtlCache({ dir, maxEntries: 3 })
    await second.set('new', 'x')
    expect(second.stats()).toMatchObject({ entries: 3, evictions: 3 })
  })
})

describe('TtlCache: an unusable directory', () => {
  it('set rejects with CacheWriteError, background writes warn, reads miss without throwing', async () => {
    const parent = await tempDir()
    const file = join(parent, 'not-a-dir')
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'x'))
    const sink = warningSink()
    const cache = new TtlCache({ dir: join(file, 'cache'), onWarning: sink.onWarning, maxMemoryEntries: 0 })
    await expect(cache.set('k', 1)).rejects.toMatchObject({ code: 'TTAPI_CACHE_WRITE', name: 'CacheWriteError' })
    cache.persistInBackground('k', 1, 1000)
    await cache.flush()
    expect(cache.stats().writeErrors).toBe(1)
    expect(await cache.get('k')).toBeUndefined()
    expect(sink.warnings.map((w) => w.code)).toEqual(['TTAPI_CACHE_WRITE_FAILED', 'TTAPI_CACHE_READ_FAILED'])
  })
})

describe('TtlCache: delete and clear with writes pending', () => {
  it('delete drops a queued write, so the value never reaches disk', async () => {
    const { cache, dir, clock } = await makeCache()
    cache.persistInBackground('k', 'queued', 1000)
    expect(await cache.delete('k')).toBe(true)
    await cache.flush()
    expect(await new TtlCache({ dir, now: clock.now }).get('k')).toBeUndefined()
    expect(cache.stats().writes).toBe(0)
  })

  it('clear settles waiting set calls and leaves an empty directory', async () => {
    const { cache, dir } = await makeCache()
    const pendingSet = cache.set('a', 1)
    await cache.clear()
    await pendingSet
    await cache.flush()
    expect(await readdir(dir)).toEqual([])
  })

  it('the first-write scan removes temp files older than 10 minutes and keeps recent ones', async () => {
    const { cache, dir } = await makeCache()
    const fs = await import('node:fs/promises')
    const old = join(dir, '.dead.1.1.aa.tmp')
    const recent = join(dir, '.live.2.2.bb.tmp')
    await fs.writeFile(old, 'partial')
    await fs.writeFile(recent, 'partial')
    const past = (Date.now() - 11 * 60_000) / 1000
    await fs.utimes(old, past, past)
    await cache.set('k', 1)
    const names = await readdir(dir)
    expect(names).toContain('.live.2.2.bb.tmp')
    expect(names).not.toContain('.dead.1.1.aa.tmp')
    expect(cache.stats().entries).toBe(1)
  })
})
