// The checksum of a column file, kept in the column cache's manifest. It covers the file's stored bytes, not the
// decoded columns: columnar-io reports each byte range (page headers, pages as stored, the footer) as it writes it
// and again as it reads it, and each range is hashed then, while it is still in the CPU cache — on a read, while the
// thread pool is already reading the next pages. Any damage (a page, a page header, the footer, another file of the
// same size) changes a range's hash; damage that makes the reader skip or add a range changes the list of ranges.
//
// XXH3 (@node-rs/xxhash, streaming: its one-shot function is 7x slower) hashes ranges the reader has just read. The
// Parquet page `crc` field was considered: it is CRC-32, which zlib computes at ~3.3 GB/s here (20 ms over the quick
// market's 66 MB against 4.6 ms for XXH3 over the same bytes), more than the whole 10% budget of the cached stage.
import { createRequire } from 'node:module'

// Required, not imported: @node-rs/xxhash is CommonJS, and an ESM import of it makes Node lex its 29 KB index.js
// (cjs-module-lexer) to find the names it exports, at every start of the CLI. Required on first use, so a command that
// reads no column file (`--version`, `serve-quotes`, a cold run until it writes) loads no native addon.
type XxHash = typeof import('@node-rs/xxhash')
type Xxh3 = XxHash['xxh3']
let xxh3Lib: Xxh3 | null = null
const xxh3 = (): Xxh3 => (xxh3Lib ??= loadXxHash().xxh3)

/**
 * The addon: on Linux its glibc platform package's binary straight away (1 ms), else (musl, where that binary does
 * not load, or another system) through the package's napi-rs loader, which reads /usr/bin/ldd to tell glibc from
 * musl and tries candidates in turn (3-4 ms more).
 */
function loadXxHash(): XxHash {
  const require = createRequire(import.meta.url)
  if (process.platform === 'linux') {
    try {
      const pkg = require.resolve('@node-rs/xxhash')
      return createRequire(pkg)(`@node-rs/xxhash-linux-${process.arch}-gnu`) as XxHash
    } catch {
      // Another libc or layout: the package's own loader finds it.
    }
  }
  return require('@node-rs/xxhash') as XxHash
}

/**
 * Loads the hash's native addon now (4-10 ms of a process's first use: its loader, then dlopen), so a caller can do it
 * while the thread pool works for it instead of on the way to the first read.
 */
export function loadColumnChecksum(): void {
  xxh3()
}

/** Bytes per range record hashed at the end: offset, length, the range's XXH3-64. */
const RECORD = 24

/**
 * A checksum over the byte ranges `writeParquet` / `readParquet` report through `onBytes`, in any order: the digest
 * depends only on which ranges (offset, length) hold which bytes.
 * @example
 * const sum = new ColumnFileChecksum()
 * await readParquet(file, { onBytes: sum.add })
 * sum.digest()
 */
export class ColumnFileChecksum {
  #records: { offset: number; length: number; hash: bigint }[] = []

  /**
   * Hashes one stored range; pass as `onBytes` (bound to this instance).
   * @param offset - The range's file offset.
   * @param bytes - Its bytes (read now, not kept).
   */
  readonly add = (offset: number, bytes: Uint8Array): void => {
    this.#records.push({ offset, length: bytes.length, hash: xxh3().Xxh3.withSeed().update(bytes).digest() })
  }

  /** XXH3-128 of the ranges' (offset, length, hash) records in offset order, as 32 hex digits. */
  digest(): string {
    const records = [...this.#records].sort((a, b) => a.offset - b.offset || a.length - b.length)
    const all = new DataView(new ArrayBuffer(records.length * RECORD))
    records.forEach((r, i) => {
      all.setFloat64(i * RECORD, r.offset, true)
      all.setFloat64(i * RECORD + 8, r.length, true)
      all.setBigUint64(i * RECORD + 16, r.hash, true)
    })
    return xxh3().xxh128(new Uint8Array(all.buffer)).toString(16).padStart(32, '0')
  }
}
