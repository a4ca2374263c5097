// Page compression for the column-table fast path: snappy through the native `snappy` binding (napi-rs; its async
// calls run on libuv's thread pool, so the pages of different columns decompress in parallel) and zstd (the
// reference C library compiled to WASM, @bokuweb/zstd-wasm). The JS codecs measured 30 MB/s (hyparquet-writer
// snappy compress) and 250-400 MB/s (hyparquet / hysnappy decompress): see README.
import { compress as zstdCompress, decompress as zstdDecompress, init as zstdInit } from '@bokuweb/zstd-wasm'
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappy'
import type { ParquetCompression } from '../types.ts'

/** Parquet CompressionCodec numbers. */
export const CODEC = { none: 0, snappy: 1, zstd: 6 } as const

let zstdReady: Promise<void> | null = null

/** Loads the zstd WASM module once. */
export function ensureZstd(): Promise<void> {
  zstdReady ??= zstdInit()
  return zstdReady
}

/** Compresses one page body. */
export async function compressPage(
  codec: ParquetCompression,
  data: Uint8Array,
  zstdLevel: number,
): Promise<Uint8Array> {
  if (codec === 'none') return data
  if (codec === 'snappy') return snappyCompress(data)
  return zstdCompress(data, zstdLevel)
}

/** Decompresses a page body of a codec named as hyparquet names it into `out`, which has the exact size. */
export async function decompressInto(codec: string, src: Uint8Array, out: Uint8Array): Promise<void> {
  if (codec === 'SNAPPY') {
    const data = (await snappyUncompress(src, { asBuffer: true })) as Uint8Array
    if (data.length !== out.length)
      throw new Error(`snappy page inflated to ${data.length} bytes, expected ${out.length}`)
    out.set(data)
    return
  }
  if (codec === 'ZSTD') {
    const data = zstdDecompress(src, { defaultHeapSize: out.length })
    if (data.length !== out.length)
      throw new Error(`zstd page inflated to ${data.length} bytes, expected ${out.length}`)
    out.set(data)
    return
  }
  throw new Error(`codec ${codec} is not on the fast path`)
}
