// Page compression for the column-table fast path: snappy through the native `snappy` binding (napi-rs; its async
// calls run on libuv's thread pool, so the pages of different columns decompress in parallel) and zstd (the
// reference C library compiled to WASM, @bokuweb/zstd-wasm). The JS codecs measured 30 MB/s (hyparquet-writer
// snappy compress) and 250-400 MB/s (hyparquet / hysnappy decompress): see README.
//
// Both load on first use, not when the package is imported: a program that never touches Parquet (the `ttapi` CLI on
// MetaStock data) does not pay for them at start-up.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ParquetCompression } from '../types.ts'

type Snappy = typeof import('snappy')
type ZstdWasm = typeof import('@bokuweb/zstd-wasm')
let snappyLib: Promise<Snappy> | null = null
let zstdLib: Promise<ZstdWasm> | null = null
const snappy = (): Promise<Snappy> => (snappyLib ??= import('snappy'))

/** Parquet CompressionCodec numbers. */
export const CODEC = { none: 0, snappy: 1, zstd: 6 } as const

let zstdReady: Promise<void> | null = null

/** The emscripten module behind @bokuweb/zstd-wasm (the same instance its own functions use). */
interface ZstdModule {
  _malloc(size: number): number
  _free(ptr: number): void
  _ZSTD_decompress(dst: number, capacity: number, src: number, size: number): number
  _ZSTD_isError(code: number): number
  HEAPU8: Uint8Array
}

let zstdModule: ZstdModule | null = null

/** Its `decompress` copies the result out with `slice()`; calling the C function directly saves that copy. */
function zstd(): ZstdModule {
  if (zstdModule === null) {
    const require = createRequire(import.meta.url)
    const dir = dirname(require.resolve('@bokuweb/zstd-wasm'))
    zstdModule = (require(join(dir, 'module.js')) as { Module: ZstdModule }).Module
  }
  return zstdModule
}

/** Loads the zstd WASM module once. */
export function ensureZstd(): Promise<void> {
  zstdReady ??= (zstdLib ??= import('@bokuweb/zstd-wasm')).then((z) => z.init())
  return zstdReady
}

/** Compresses one page body. */
export async function compressPage(
  codec: ParquetCompression,
  data: Uint8Array,
  zstdLevel: number,
): Promise<Uint8Array> {
  if (codec === 'none') return data
  if (codec === 'snappy') return (await snappy()).compress(data)
  await ensureZstd()
  return (await zstdLib!).compress(data, zstdLevel)
}

/** Decompresses a page body of a codec named as hyparquet names it into `out`, which has the exact size. */
export async function decompressInto(codec: string, src: Uint8Array, out: Uint8Array): Promise<void> {
  if (codec === 'SNAPPY') {
    const data = (await (await snappy()).uncompress(src, { asBuffer: true })) as Uint8Array
    if (data.length !== out.length)
      throw new Error(`snappy page inflated to ${data.length} bytes, expected ${out.length}`)
    out.set(data)
    return
  }
  if (codec === 'ZSTD') {
    const m = zstd()
    const from = m._malloc(src.length)
    const to = m._malloc(out.length)
    try {
      m.HEAPU8.set(src, from)
      const n = m._ZSTD_decompress(to, out.length, from, src.length)
      if (m._ZSTD_isError(n)) throw new Error(`zstd page is corrupt (error ${-n})`)
      if (n >>> 0 !== out.length) throw new Error(`zstd page inflated to ${n >>> 0} bytes, expected ${out.length}`)
      out.set(m.HEAPU8.subarray(to, to + out.length))
    } finally {
      m._free(from)
      m._free(to)
    }
    return
  }
  throw new Error(`codec ${codec} is not on the fast path`)
}
