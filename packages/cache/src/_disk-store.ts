import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  read as readCallback,
  readSync,
  renameSync,
  unlinkSync,
  writevSync,
  type Stats,
} from 'node:fs'
import { mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { decodeValue, encodeValue } from './codec.ts'
import { entryChunks, parseEntry, peekHeader, HEADER_SIZE } from './_entry-file.ts'
import type { CacheWarning, CodecName } from './types.ts'

/** A value read back from disk with its times. */
export interface DiskValue {
  value: unknown
  createdAt: number
  expiresAt: number
}

interface IndexEntry {
  key: string | null
  size: number
  expiresAt: number
  lastUsed: number
}

/** What the store needs from its owner. */
export interface DiskStoreOptions {
  dir: string
  maxEntries: number
  maxBytes: number
  fsync: boolean
  codec: CodecName | undefined
  now: () => number
  warn: (warning: CacheWarning) => void
  onCorrupt: () => void
  onEvict: (key: string | null) => void
  /** When the owner last used `key` from its memory layer (ms since the epoch), if it did. */
  recency: (key: string) => number | undefined
}

const EXT = '.ttc'
// Entries up to this size are read with blocking calls: from the page cache open+fstat+read+close take
// ~8 µs for the 45 KB quote entry, where four thread-pool round trips take ~37 µs (and far more when
// the pool is busy). Larger entries are read asynchronously so the event loop is never held for long.
const SYNC_READ_MAX = 1024 * 1024
// A read re-stamps the file's mtime (the cross-process LRU clock) only when it is older than this.
const TOUCH_AFTER_MS = 60_000
const readAsync = promisify(readCallback)
// Temp files older than this are leftovers of a crashed writer and are removed by the directory scan.
const STALE_TEMP_MS = 10 * 60_000
let tempCounter = 0

/** Hash of a key, the entry's file name stem: SHA-256, 40 hex digits. */
export function keyFileName(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 40) + EXT
}

/** The disk layer: one file per entry, atomic replace, an in-process index for the limits. */
export class DiskStore {
  readonly dir: string
  readonly #o: DiskStoreOptions
  #mkdir: Promise<unknown> | null = null
  #index: Map<string, IndexEntry> | null = null
  #indexing: Promise<Map<string, IndexEntry>> | null = null
  #bytes = 0
  #lastStamp = 0
  /** Files already reported corrupt, with the size, inode and mtime they had: each damage is reported once. */
  readonly #reported = new Map<string, string>()

  constructor(options: DiskStoreOptions) {
    this.#o = options
    this.dir = options.dir
  }

  /** Bytes and entries known to the index (0 before the first write or scan). */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#index?.size ?? 0, bytes: this.#bytes }
  }

  /** Scans the directory if this instance has not yet, then returns what the index holds. */
  async scanUsage(): Promise<{ entries: number; bytes: number }> {
    await this.#ensureIndex()
    return this.usage
  }

  /** Reads and verifies the entry of `key`; a missing file is undefined, a bad one is a counted warning. */
  async read(key: string): Promise<DiskValue | undefined> {
    const name = keyFileName(key)
    const file = join(this.dir, name)
    let bytes: Buffer
    let mtimeMs: number
    let version: string
    try {
      const fd = openSync(file, 'r')
      try {
        const st = fstatSync(fd)
        mtimeMs = st.mtimeMs
        version = `${st.size}\0${st.ino}\0${st.mtimeMs}`
        // Its own ArrayBuffer at offset 0: columns are viewed in place at 8-aligned offsets.
        bytes = Buffer.allocUnsafeSlow(st.size)
        let at = 0
        while (at < st.size) {
          const n =
            st.size <= SYNC_READ_MAX
              ? readSync(fd, bytes, at, st.size - at, at)
              : await readAsync(fd, bytes, at, st.size - at, at).then((r) => r.bytesRead)
          if (n === 0) break
          at += n
        }
        if (at < st.size) bytes = bytes.subarray(0, at)
      } finally {
        closeSync(fd)
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      this.#o.warn({
        code: 'TTAPI_CACHE_READ_FAILED',
        message: `cache: cannot read ${file}: ${(error as Error).message}`,
        key,
        file,
        cause: error,
      })
      return undefined
    }
    const parsed = parseEntry(bytes, key)
    if (!parsed.ok) {
      this.#corrupt(key, file, version, parsed.kind, parsed.reason)
      return undefined
    }
    let value: unknown
    try {
      value = decodeValue(parsed.header.codec, parsed.payload)
    } catch (error) {
      const reason = `payload does not decode (codec ${parsed.header.codec}): ${String(error)}`
      this.#corrupt(key, file, version, 'decode', reason)
      return undefined
    }
    this.#touch(name, file, mtimeMs)
    return { value, createdAt: parsed.header.createdAt, expiresAt: parsed.header.expiresAt }
  }

  // Every rejected read is counted; the warning is raised once per damaged file (a lookup that peeks, then reads,
  // then refreshes would otherwise report the same file three times). A rewritten file is a new one.
  #corrupt(key: string, file: string, version: string, kind: CacheWarning['kind'], reason: string): void {
    this.#o.onCorrupt()
    if (this.#reported.get(file) === version) return
    this.#reported.set(file, version)
    this.#o.warn({
      code: 'TTAPI_CACHE_CORRUPT',
      message: `cache: ${file}: ${reason}; treated as a miss`,
      key,
      file,
      kind,
      reason,
    })
  }

  // Recency for LRU eviction: in the index, and as the file's mtime so other processes see it too.
  #touch(name: string, file: string, mtimeMs: number): void {
    const stamp = this.#stamp()
    const entry = this.#index?.get(name)
    if (entry !== undefined) entry.lastUsed = stamp
    if (stamp - mtimeMs < TOUCH_AFTER_MS) return
    const seconds = stamp / 1000
    utimes(file, seconds, seconds).catch(() => {
      // Best effort: the file may have been replaced or evicted meanwhile.
    })
  }

  #stamp(): number {
    this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 0.001)
    return this.#lastStamp
  }

  /** Serialises and writes `value` atomically: temp file in the same directory, fsync, rename. */
  async write(key: string, value: unknown, createdAt: number, expiresAt: number): Promise<void> {
    // Serialise first: a value that cannot be serialised leaves no file behind.
    const encoded = encodeValue(value, this.#o.codec)
    this.#mkdir ??= mkdir(this.dir, { recursive: true })
    await this.#mkdir
    const name = keyFileName(key)
    const file = join(this.dir, name)
    const temp = join(this.dir, `.${name}.${process.pid}.${++tempCounter}.${randomBytes(4).toString('hex')}.tmp`)
    const handle = await open(temp, 'wx', 0o644)
    let size = 0
    try {
      const chunks = entryChunks(key, encoded.codec, createdAt, expiresAt, encoded.chunks, encoded.length)
      size = chunks.reduce((n, c) => n + c.byteLength, 0)
      let pending = chunks
      while (pending.length > 0) {
        const { bytesWritten } = await handle.writev(pending)
        pending = skipBytes(pending, bytesWritten)
      }
      if (this.#o.fsync) await handle.datasync()
      await handle.close()
      await rename(temp, file)
    } catch (error) {
      await handle.close().catch(() => undefined)
      await unlink(temp).catch(() => undefined)
      throw error
    }
    await this.#record(name, key, size, expiresAt)
  }

  /** The same write, synchronously: used only by the exit hook, when no more I/O callbacks will run. */
  writeSync(key: string, value: unknown, createdAt: number, expiresAt: number): void {
    const encoded = encodeValue(value, this.#o.codec)
    const chunks = entryChunks(key, encoded.codec, createdAt, expiresAt, encoded.chunks, encoded.length)
    mkdirSync(this.dir, { recursive: true })
    const name = keyFileName(key)
    const temp = join(this.dir, `.${name}.${process.pid}.${++tempCounter}.${randomBytes(4).toString('hex')}.tmp`)
    const fd = openSync(temp, 'wx', 0o644)
    try {
      let pending = chunks
      while (pending.length > 0) pending = skipBytes(pending, writevSync(fd, pending))
      if (this.#o.fsync) fdatasyncSync(fd)
      closeSync(fd)
      renameSync(temp, join(this.dir, name))
    } catch (error) {
      try {
        closeSync(fd)
      } catch {
        // already closed
      }
      try {
        unlinkSync(temp)
      } catch {
        // never created or already renamed
      }
      throw error
    }
  }

  async #record(name: string, key: string, size: number, expiresAt: number): Promise<void> {
    const index = await this.#ensureIndex()
    const old = index.get(name)
    if (old !== undefined) this.#bytes -= old.size
    index.set(name, { key, size, expiresAt, lastUsed: this.#stamp() })
    this.#bytes += size
    await this.#evict(name)
  }

  /** Removes the entry of `key`; true when a file was removed. */
  async delete(key: string): Promise<boolean> {
    const name = keyFileName(key)
    const removed = await unlink(join(this.dir, name)).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw error
      },
    )
    const entry = this.#index?.get(name)
    if (entry !== undefined) {
      this.#index!.delete(name)
      this.#bytes -= entry.size
    }
    return removed
  }

  /** Removes every entry and temp file in the directory (other files are left alone). */
  async clear(): Promise<void> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[]
      throw error
    })
    await Promise.all(
      names
        .filter((n) => n.endsWith(EXT) || n.endsWith('.tmp'))
        .map((n) => unlink(join(this.dir, n)).catch(() => undefined)),
    )
    this.#index = new Map()
    this.#bytes = 0
  }

  #ensureIndex(): Promise<Map<string, IndexEntry>> {
    if (this.#index !== null) return Promise.resolve(this.#index)
    this.#indexing ??= this.#scan().then((index) => {
      this.#index = index
      this.#bytes = 0
      for (const entry of index.values()) this.#bytes += entry.size
      return index
    })
    return this.#indexing
  }

  // Reads every entry's size, mtime (recency) and expiry; removes temp files left by crashed writers.
  async #scan(): Promise<Map<string, IndexEntry>> {
    const index = new Map<string, IndexEntry>()
    const names = await readdir(this.dir).catch(() => [] as string[])
    const head = Buffer.alloc(4096)
    for (const name of names) {
      const file = join(this.dir, name)
      if (name.endsWith('.tmp')) {
        const st = await stat(file).catch(() => null)
        if (st !== null && Date.now() - st.mtimeMs > STALE_TEMP_MS) await unlink(file).catch(() => undefined)
        continue
      }
      if (!name.endsWith(EXT)) continue
      let st: Stats
      let peek: ReturnType<typeof peekHeader> = null
      try {
        const handle = await open(file, 'r')
        try {
          st = await handle.stat()
          const { bytesRead } = await handle.read(head, 0, head.length, 0)
          peek = bytesRead >= HEADER_SIZE ? peekHeader(head.subarray(0, bytesRead)) : null
        } finally {
          await handle.close()
        }
      } catch {
        continue
      }
      // A file that is not an entry still takes space: it is first in line (expired at 0).
      index.set(name, {
        key: peek?.key ?? null,
        size: st.size,
        expiresAt: peek?.expiresAt ?? 0,
        lastUsed: st.mtimeMs,
      })
    }
    return index
  }

  // Least recently used, expired first; never the entry just written.
  async #evict(justWritten: string): Promise<void> {
    const index = this.#index!
    const { maxEntries, maxBytes } = this.#o
    if (index.size <= maxEntries && this.#bytes <= maxBytes) return
    const now = this.#o.now()
    // Memory hits never touch the file; the owner's record of them counts as use too.
    for (const entry of index.values()) {
      const used = entry.key === null ? undefined : this.#o.recency(entry.key)
      if (used !== undefined && used > entry.lastUsed) entry.lastUsed = used
    }
    const candidates = [...index.entries()]
      .filter(([name]) => name !== justWritten)
      .sort(([, a], [, b]) => {
        const ae = a.expiresAt <= now
        const be = b.expiresAt <= now
        if (ae !== be) return ae ? -1 : 1
        return a.lastUsed - b.lastUsed
      })
    for (const [name, entry] of candidates) {
      if (index.size <= maxEntries && this.#bytes <= maxBytes) break
      try {
        await unlink(join(this.dir, name))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.#o.warn({
            code: 'TTAPI_CACHE_EVICT_FAILED',
            message: `cache: cannot evict ${join(this.dir, name)}: ${(error as Error).message}`,
            file: join(this.dir, name),
            cause: error,
          })
          continue
        }
      }
      index.delete(name)
      this.#bytes -= entry.size
      this.#o.onEvict(entry.key)
    }
  }
}

function skipBytes(chunks: Uint8Array[], written: number): Uint8Array[] {
  let rest = written
  let i = 0
  while (i < chunks.length && rest >= chunks[i]!.byteLength) rest -= chunks[i++]!.byteLength
  if (i === chunks.length) return []
  const out = chunks.slice(i)
  out[0] = out[0]!.subarray(rest)
  return out
}
