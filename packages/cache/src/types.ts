/** How a value is serialised on disk; the codec id is stored in each entry's header. */
export type CodecName = 'msgpack' | 'columnar' | 'v8' | 'json'

/** Why a cache file was rejected: each is a miss with a counted warning, never a crash. */
export type CorruptKind = 'truncated' | 'checksum' | 'foreign' | 'future-version' | 'key-mismatch' | 'decode'

/** A warning the cache raises instead of throwing: a rejected file, a failed background write or refresh. */
export interface CacheWarning {
  /** Stable code: `TTAPI_CACHE_CORRUPT`, `TTAPI_CACHE_WRITE_FAILED`, `TTAPI_CACHE_REFRESH_FAILED`, `TTAPI_CACHE_EVICT_FAILED`. */
  code: string
  /** Human-readable message naming the file and what was wrong. */
  message: string
  /** The cache key involved, when known. */
  key?: string
  /** The file involved, when there is one. */
  file?: string
  /** For `TTAPI_CACHE_CORRUPT`: what was wrong with the file. */
  kind?: CorruptKind
  /** For `TTAPI_CACHE_CORRUPT`: what was wrong, in words, without the file name (e.g. `checksum mismatch (stored …, computed …)`). */
  reason?: string
  /** The underlying error, if any. */
  cause?: unknown
}

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** Cache directory. @default `$XDG_CACHE_HOME/ttapi`, else `~/.cache/ttapi` */
  dir?: string
  /** Default time to live in ms for `set` / `persistInBackground` / `getOrLoad` without one. @default 300_000 (5 minutes) */
  ttl?: number
  /** Maximum number of entries on disk; least recently used (expired first) are evicted. @default 10_000 */
  maxEntries?: number
  /** Maximum total bytes of entry files on disk. @default 1 GiB */
  maxBytes?: number
  /** Maximum number of entries kept in the memory layer (least recently used dropped). @default 1_000 */
  maxMemoryEntries?: number
  /** The clock, in ms since the epoch; inject one so expiry tests never sleep. @default Date.now */
  now?: () => number
  /** Receives every warning (corrupt file, failed background write...). @default emits a process warning */
  onWarning?: (warning: CacheWarning) => void
  /** Force a codec for every write; by default columnar for values holding typed arrays, msgpack otherwise. */
  codec?: CodecName
  /** fsync each entry file before renaming it into place (crash-safe against power loss, slower). @default true */
  fsync?: boolean
}

/** Options of {@link TtlCache.set}. */
export interface SetOptions {
  /** Time to live in ms (`Infinity` for no expiry). @default the cache's `ttl` */
  ttl?: number
  /**
   * Turns the value into the form stored on disk, run at write time (off the caller's path for background
   * writes), e.g. quotes to columns. The memory layer keeps the value as given.
   */
  serialize?: (value: unknown) => unknown
}

/** Options of {@link TtlCache.persistInBackground} (its fourth argument). */
export interface PersistOptions {
  /** As {@link SetOptions.serialize}: runs in the background, not on the caller's path. */
  serialize?: (value: unknown) => unknown
}

/** Options of {@link TtlCache.getOrLoad}. */
export interface GetOrLoadOptions {
  /** Time to live in ms of a freshly loaded value. @default the cache's `ttl` */
  ttl?: number
  /**
   * For this many ms after expiry a stale value is returned at once while exactly one refresh runs in
   * the background. `0` means an expired value is a miss. @default 0
   */
  staleWhileRevalidate?: number
  /** Disk form of a loaded value, computed in the background (see {@link SetOptions.serialize}). */
  serialize?: (value: unknown) => unknown
}

/** Where a value was found. */
export type CacheLayer = 'memory' | 'disk'

/** A cached value with its freshness, as returned by {@link TtlCache.load}. */
export interface CacheEntry<T = unknown> {
  /** The value (shared with the cache: do not mutate it). */
  value: T
  /** True when the entry's time to live has passed. */
  isExpired: boolean
  /** Milliseconds since the value was stored. */
  ageMs: number
  /** When the value was stored, ms since the epoch. */
  createdAt: number
  /** When the value expires, ms since the epoch (`Infinity` for never). */
  expiresAt: number
  /** The layer that served it. */
  source: CacheLayer
}

/** Counters of one {@link TtlCache} instance since it was created. */
export interface CacheStats {
  /** Fresh values served (memory or disk). */
  hits: number
  /** Of `hits`, served from memory. */
  memoryHits: number
  /** Of `hits`, served from disk. */
  diskHits: number
  /** Lookups that found no usable value. */
  misses: number
  /** Expired values served (by `load`, or by `getOrLoad` inside the stale-while-revalidate window). */
  staleHits: number
  /** Loader calls made by `getOrLoad` (concurrent misses share one). */
  loads: number
  /** Entries written to disk. */
  writes: number
  /** Background writes that failed (each also raised a warning). */
  writeErrors: number
  /** Writes queued or in progress. */
  pendingWrites: number
  /** Entry files on disk, as this instance knows them (the directory is scanned on the first write). */
  entries: number
  /** Bytes of entry files on disk, as this instance knows them. */
  bytes: number
  /** Entries evicted from disk to respect `maxEntries` / `maxBytes`. */
  evictions: number
  /** Files rejected as truncated, corrupt, foreign, future-version or holding another key. */
  corruptEntries: number
}
