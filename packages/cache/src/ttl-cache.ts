import { defaultCacheDir } from './cache-dir.ts'
import { CODEC_IDS } from './codec.ts'
import { CacheOptionError, CacheSerializeError, CacheWriteError } from './errors.ts'
import { DiskStore, type DiskValue } from './_disk-store.ts'
import { registerPending, unregisterPending, type ExitFlushable } from './_exit-flush.ts'
import { assertFunction, assertInteger, assertKey, assertNonNegative, assertPositive } from './_validate.ts'
import type {
  CacheEntry,
  CacheStats,
  CacheWarning,
  GetOrLoadOptions,
  PersistOptions,
  SetOptions,
  TtlCacheOptions,
} from './types.ts'

interface MemoryEntry {
  value: unknown
  createdAt: number
  expiresAt: number
  /** Wall-clock ms of the last memory hit, for the disk layer's LRU order. */
  usedAt?: number
}

interface PendingWrite extends MemoryEntry {
  key: string
  serialize: ((value: unknown) => unknown) | undefined
  waiters: { resolve: () => void; reject: (error: unknown) => void }[]
}

const DEFAULT_TTL = 300_000
const DEFAULT_MAX_ENTRIES = 10_000
const DEFAULT_MAX_BYTES = 1024 ** 3
const DEFAULT_MAX_MEMORY_ENTRIES = 1_000

function defaultWarn(warning: CacheWarning): void {
  process.emitWarning(warning.message, { code: warning.code })
}

/**
 * A TTL cache: a memory layer over a disk layer (one file per entry, checksummed, replaced atomically).
 * Concurrent misses of `getOrLoad` share one load; `persistInBackground` returns at once and writes later.
 *
 * @example
 * ```ts
 * await using cache = new TtlCache({ ttl: 60_000 })
 * const quotes = await cache.getOrLoad('quotes:sp500', () => fetchQuotes(), { staleWhileRevalidate: 30_000 })
 * ```
 */
export class TtlCache implements ExitFlushable {
  /** The directory holding the entry files. */
  readonly dir: string
  readonly #ttl: number
  readonly #maxMemoryEntries: number
  readonly #now: () => number
  readonly #warn: (warning: CacheWarning) => void
  readonly #disk: DiskStore
  readonly #memory = new Map<string, MemoryEntry>()
  readonly #queue = new Map<string, PendingWrite>()
  #writing: PendingWrite | null = null
  #drain: Promise<void> | null = null
  // Single flight: one promise per key for a lookup-then-load, one per key for a background refresh.
  readonly #inflight = new Map<string, Promise<unknown>>()
  readonly #refreshing = new Map<string, Promise<void>>()
  readonly #diskReads = new Map<string, Promise<DiskValue | undefined>>()
  readonly #stats = {
    hits: 0,
    memoryHits: 0,
    diskHits: 0,
    misses: 0,
    staleHits: 0,
    loads: 0,
    writes: 0,
    writeErrors: 0,
    evictions: 0,
    corruptEntries: 0,
  }

  /**
   * @param options - Directory, default TTL, limits, clock and warning sink; see {@link TtlCacheOptions}.
   */
  constructor(options: TtlCacheOptions = {}) {
    const dir = options.dir ?? defaultCacheDir()
    if (typeof dir !== 'string' || dir === '') {
      throw new CacheOptionError(`cache: Expected \`dir\` to be a non-empty path, got \`${String(dir)}\``)
    }
    const ttl = options.ttl ?? DEFAULT_TTL
    assertPositive('ttl', ttl, true)
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
    assertInteger('maxEntries', maxEntries, 1)
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    assertPositive('maxBytes', maxBytes, true)
    const maxMemoryEntries = options.maxMemoryEntries ?? DEFAULT_MAX_MEMORY_ENTRIES
    assertInteger('maxMemoryEntries', maxMemoryEntries, 0)
    const now = options.now ?? Date.now
    assertFunction('now', now)
    const warn = options.onWarning ?? defaultWarn
    assertFunction('onWarning', warn)
    if (options.codec !== undefined && !(options.codec in CODEC_IDS)) {
      throw new CacheOptionError(
        `cache: Expected \`codec\` to be one of ${Object.keys(CODEC_IDS).join(', ')}, got \`${String(options.codec)}\``,
      )
    }
    this.dir = dir
    this.#ttl = ttl
    this.#maxMemoryEntries = maxMemoryEntries
    this.#now = now
    this.#warn = warn
    this.#disk = new DiskStore({
      dir,
      maxEntries,
      maxBytes,
      fsync: options.fsync ?? true,
      codec: options.codec,
      now,
      warn,
      onCorrupt: () => void this.#stats.corruptEntries++,
      recency: (key) => this.#memory.get(key)?.usedAt,
      onEvict: (key) => {
        this.#stats.evictions++
        if (key !== null && !this.#queue.has(key)) this.#memory.delete(key)
      },
    })
  }

  /** Counters since this instance was created; `bytes`/`entries` are what this instance knows of the directory. */
  stats(): CacheStats {
    const usage = this.#disk.usage
    return {
      ...this.#stats,
      pendingWrites: this.#queue.size + (this.#writing === null ? 0 : 1),
      entries: usage.entries,
      bytes: usage.bytes,
    }
  }

  /**
   * Entry files and their bytes in the directory: scans it on the first call (or first write) of this
   * instance, then follows this instance's writes, deletes and evictions.
   */
  async diskUsage(): Promise<{ entries: number; bytes: number }> {
    return this.#disk.scanUsage()
  }

  /** True while background writes are queued or in progress. */
  get pending(): boolean {
    return this.#queue.size > 0 || this.#writing !== null
  }

  /**
   * The fresh value of `key` (memory, then disk), or undefined when absent or expired.
   * @param key - Cache key.
   */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertKey(key)
    const entry = await this.#lookup(key)
    if (entry === undefined || entry.isExpired) {
      this.#stats.misses++
      return undefined
    }
    this.#countHit(entry.source)
    return entry.value as T
  }

  /**
   * The memory layer's entry for `key` with its freshness, without touching disk or the counters.
   * @param key - Cache key.
   */
  peek<T = unknown>(key: string): CacheEntry<T> | undefined {
    const memory = this.#memory.get(key) ?? this.#queue.get(key)
    return memory === undefined ? undefined : (this.#entry(memory, 'memory', this.#now()) as CacheEntry<T>)
  }

  /**
   * The value of `key` with its freshness, expired or not; undefined when absent (or its file was rejected).
   * @param key - Cache key.
   */
  async load<T = unknown>(key: string): Promise<CacheEntry<T> | undefined> {
    assertKey(key)
    const entry = await this.#lookup(key)
    if (entry === undefined) this.#stats.misses++
    else if (entry.isExpired) this.#stats.staleHits++
    else this.#countHit(entry.source)
    return entry as CacheEntry<T> | undefined
  }

  /**
   * Stores `value` in memory and on disk; resolves once the file is in place.
   * @param key - Cache key.
   * @param value - JSON-like data, typed arrays, or objects of typed-array columns.
   * @param options - `{ ttl }` in ms.
   */
  async set(key: string, value: unknown, options: SetOptions = {}): Promise<void> {
    assertKey(key)
    const ttl = options.ttl ?? this.#ttl
    assertPositive('ttl', ttl, true)
    const entry = this.#remember(key, value, ttl)
    await new Promise<void>((resolve, reject) => this.#enqueue(key, entry, options.serialize, { resolve, reject }))
  }

  /**
   * Stores `value` in memory now and queues the disk write; returns at once. Serialisation and I/O run
   * later on the event loop (after `setImmediate`); a failure is a warning, counted in `writeErrors`.
   * @param key - Cache key.
   * @param value - The value.
   * @param ttl - Time to live in ms. @default the cache's `ttl`
   * @param options - `{ serialize }`: the disk form of `value`, computed in the background.
   */
  persistInBackground(key: string, value: unknown, ttl: number = this.#ttl, options: PersistOptions = {}): void {
    assertKey(key)
    assertPositive('ttl', ttl, true)
    if (options.serialize !== undefined) assertFunction('serialize', options.serialize)
    this.#enqueue(key, this.#remember(key, value, ttl), options.serialize, null)
  }

  /**
   * The fresh value of `key`, else the result of `loader` (stored, then persisted in the background).
   * Concurrent callers share one lookup and one load. Within `staleWhileRevalidate` ms after expiry the
   * stale value is returned at once and exactly one refresh runs in the background.
   * @param key - Cache key.
   * @param loader - Produces the value on a miss.
   * @param options - `{ ttl, staleWhileRevalidate }`.
   */
  getOrLoad<T>(key: string, loader: (key: string) => T | Promise<T>, options: GetOrLoadOptions = {}): Promise<T> {
    assertKey(key)
    assertFunction('loader', loader)
    const ttl = options.ttl ?? this.#ttl
    assertPositive('ttl', ttl, true)
    const swr = options.staleWhileRevalidate ?? 0
    assertNonNegative('staleWhileRevalidate', swr)
    const memory = this.#memory.get(key)
    if (memory !== undefined && this.#now() < memory.expiresAt) {
      memory.usedAt = Date.now()
      this.#stats.hits++
      this.#stats.memoryHits++
      return Promise.resolve(memory.value as T)
    }
    const shared = this.#inflight.get(key)
    if (shared !== undefined) {
      this.#stats.misses++
      return shared as Promise<T>
    }
    const flight = this.#lookupOrLoad(key, loader, ttl, swr, options.serialize)
    this.#inflight.set(key, flight)
    const done = (): void => {
      if (this.#inflight.get(key) === flight) this.#inflight.delete(key)
    }
    flight.then(done, done)
    return flight
  }

  async #lookupOrLoad<T>(
    key: string,
    loader: (key: string) => T | Promise<T>,
    ttl: number,
    swr: number,
    serialize: PersistOptions['serialize'],
  ): Promise<T> {
    const entry = await this.#lookup(key)
    if (entry !== undefined && !entry.isExpired) {
      this.#countHit(entry.source)
      return entry.value as T
    }
    if (entry !== undefined && this.#now() < entry.expiresAt + swr) {
      this.#stats.staleHits++
      if (!this.#refreshing.has(key)) {
        const refresh = this.#runLoader(key, loader, ttl, serialize).then(
          () => undefined,
          (error: unknown) =>
            this.#warn({
              code: 'TTAPI_CACHE_REFRESH_FAILED',
              message: `cache: refreshing ${JSON.stringify(key)} failed, the stale value stays: ${String(error)}`,
              key,
              cause: error,
            }),
        )
        this.#refreshing.set(key, refresh)
        void refresh.finally(() => this.#refreshing.delete(key))
      }
      return entry.value as T
    }
    this.#stats.misses++
    return this.#runLoader(key, loader, ttl, serialize)
  }

  async #runLoader<T>(
    key: string,
    loader: (key: string) => T | Promise<T>,
    ttl: number,
    serialize: PersistOptions['serialize'],
  ): Promise<T> {
    this.#stats.loads++
    const value = await loader(key)
    this.persistInBackground(key, value, ttl, { serialize })
    return value
  }

  /**
   * Removes `key` from memory, the write queue and disk; true when something was removed.
   * @param key - Cache key.
   */
  async delete(key: string): Promise<boolean> {
    assertKey(key)
    let removed = this.#memory.delete(key)
    const queued = this.#queue.get(key)
    if (queued !== undefined) {
      this.#queue.delete(key)
      for (const w of queued.waiters) w.resolve()
      removed = true
    }
    if (this.#writing?.key === key) await this.flush()
    try {
      return (await this.#disk.delete(key)) || removed
    } catch (error) {
      throw new CacheWriteError(`cache: cannot delete the entry of ${JSON.stringify(key)} in ${this.dir}`, {
        cause: error,
      })
    }
  }

  /** Empties memory, drops queued writes and removes every entry file of the directory. */
  async clear(): Promise<void> {
    this.#memory.clear()
    for (const pending of this.#queue.values()) for (const w of pending.waiters) w.resolve()
    this.#queue.clear()
    await this.flush()
    try {
      await this.#disk.clear()
    } catch (error) {
      throw new CacheWriteError(`cache: cannot clear ${this.dir}`, { cause: error })
    }
  }

  /** Resolves when every queued background write has landed (or failed with a warning). */
  async flush(): Promise<void> {
    while (this.#drain !== null) await this.#drain
  }

  /** Writes everything still pending synchronously; for exit hooks, where no callback will run again. */
  flushSync(): void {
    const pending = [...(this.#writing === null ? [] : [this.#writing]), ...this.#queue.values()]
    const latest = new Map(pending.map((p) => [p.key, p]))
    for (const p of latest.values()) {
      const stored = p.serialize === undefined ? p.value : p.serialize(p.value)
      this.#disk.writeSync(p.key, stored, p.createdAt, p.expiresAt)
    }
    this.#queue.clear()
  }

  /** Waits for pending writes: `await using cache = new TtlCache()`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.flush()
  }

  #countHit(source: 'memory' | 'disk'): void {
    this.#stats.hits++
    if (source === 'memory') this.#stats.memoryHits++
    else this.#stats.diskHits++
  }

  #remember(key: string, value: unknown, ttl: number): MemoryEntry {
    const createdAt = this.#now()
    const entry = { value, createdAt, expiresAt: createdAt + ttl }
    this.#memorize(key, entry)
    return entry
  }

  #memorize(key: string, entry: MemoryEntry): void {
    if (this.#maxMemoryEntries === 0) return
    this.#memory.delete(key)
    this.#memory.set(key, entry)
    if (this.#memory.size > this.#maxMemoryEntries) {
      const oldest = this.#memory.keys().next().value as string
      this.#memory.delete(oldest)
    }
  }

  // Memory first; an expired memory entry may have a fresher file (another process wrote it).
  async #lookup(key: string): Promise<CacheEntry | undefined> {
    const now = this.#now()
    const memory = this.#memory.get(key)
    if (memory !== undefined && now < memory.expiresAt) {
      memory.usedAt = Date.now()
      return this.#entry(memory, 'memory', now)
    }
    const queued = this.#queue.get(key) ?? (this.#writing?.key === key ? this.#writing : undefined)
    if (queued !== undefined) return this.#entry(queued, 'memory', now)
    let read = this.#diskReads.get(key)
    if (read === undefined) {
      read = this.#disk.read(key)
      this.#diskReads.set(key, read)
      const done = (): void => void this.#diskReads.delete(key)
      read.then(done, done)
    }
    const disk = await read
    const newest = disk !== undefined && (memory === undefined || disk.createdAt >= memory.createdAt) ? disk : memory
    if (newest === undefined) return undefined
    if (newest === disk) {
      this.#memorize(key, disk)
      return this.#entry(disk, 'disk', this.#now())
    }
    return this.#entry(newest, 'memory', this.#now())
  }

  #entry(entry: MemoryEntry, source: 'memory' | 'disk', now: number): CacheEntry {
    return {
      value: entry.value,
      isExpired: now >= entry.expiresAt,
      ageMs: now - entry.createdAt,
      createdAt: entry.createdAt,
      expiresAt: entry.expiresAt,
      source,
    }
  }

  #enqueue(
    key: string,
    entry: MemoryEntry,
    serialize: PendingWrite['serialize'],
    waiter: PendingWrite['waiters'][number] | null,
  ): void {
    const previous = this.#queue.get(key)
    const waiters = previous?.waiters ?? []
    if (waiter !== null) waiters.push(waiter)
    // Latest value wins: a queued, not yet started write of the same key is replaced.
    this.#queue.delete(key)
    this.#queue.set(key, { key, ...entry, serialize, waiters })
    if (this.#drain === null) {
      registerPending(this)
      this.#drain = new Promise<void>((resolve) => {
        setImmediate(() => {
          void this.#drainQueue().finally(() => {
            this.#drain = null
            unregisterPending(this)
            resolve()
          })
        })
      })
    }
  }

  async #drainQueue(): Promise<void> {
    for (;;) {
      const next = this.#queue.values().next()
      if (next.done === true) return
      const write = next.value
      this.#queue.delete(write.key)
      this.#writing = write
      try {
        const stored = write.serialize === undefined ? write.value : write.serialize(write.value)
        await this.#disk.write(write.key, stored, write.createdAt, write.expiresAt)
        this.#stats.writes++
        for (const w of write.waiters) w.resolve()
      } catch (error) {
        const isSerialize = !(error instanceof Error && 'code' in error && typeof error.code === 'string')
        const wrapped = isSerialize
          ? new CacheSerializeError(`cache: cannot serialise the value of ${JSON.stringify(write.key)}`, {
              cause: error,
            })
          : new CacheWriteError(`cache: cannot write the entry of ${JSON.stringify(write.key)} in ${this.dir}`, {
              cause: error,
            })
        if (write.waiters.length > 0) {
          for (const w of write.waiters) w.reject(wrapped)
        } else {
          this.#stats.writeErrors++
          this.#warn({ code: 'TTAPI_CACHE_WRITE_FAILED', message: wrapped.message, key: write.key, cause: error })
        }
      } finally {
        this.#writing = null
      }
    }
  }
}
