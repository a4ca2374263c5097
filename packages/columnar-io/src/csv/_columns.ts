// Column allocation and small helpers shared by the CSV readers.
import { createColumnTable } from '../column-table.ts'
import type { ColumnTable } from '../types.ts'
import type { OutColumns } from '../_out-columns.ts'

// The ES2023 lib has no WebAssembly declarations; this is the one constructor used. Absent under `--jitless`.
const WasmMemory = (
  globalThis as unknown as {
    WebAssembly?: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: unknown } }
  }
).WebAssembly?.Memory

/**
 * Zeroed shared memory of at least `bytes`, from a shared WebAssembly memory when possible. V8 maps that memory
 * itself, so it bypasses malloc: with `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` (the bench harness) malloc marks large
 * blocks for transparent huge pages, and on this KVM VM (free page reporting) first touching fresh 2 MiB pages ran
 * at 0.4-0.5 GB/s against about 2.5 GB/s for ordinary pages. Falls back to a plain SharedArrayBuffer (over 4 GiB, or
 * when the engine cannot reserve another wasm memory or has no WebAssembly).
 */
function sharedMemory(bytes: number): SharedArrayBuffer {
  const pages = Math.max(1, Math.ceil(bytes / 65536))
  if (WasmMemory !== undefined && pages <= 65536) {
    try {
      const { buffer } = new WasmMemory({ initial: pages, maximum: pages, shared: true })
      if (buffer instanceof SharedArrayBuffer) return buffer
    } catch {
      // Address-space reservation refused: use the allocator instead.
    }
  }
  return new SharedArrayBuffer(Math.max(1, bytes))
}

/**
 * New columns for `n` rows. When `shared`, all columns are views of one SharedArrayBuffer (int32 columns first, so
 * the float64 ones stay 8-byte aligned), untouched until the workers write their rows, so its pages are first
 * touched on both cores in parallel.
 */
export function allocSink(n: number, openInterest: boolean, shared: boolean): OutColumns {
  if (!shared) return createColumnTable(n, { openInterest })
  const buffer = sharedMemory(n * (8 + (openInterest ? 48 : 40)))
  const f64 = (k: number): Float64Array => new Float64Array(buffer, n * 8 * (k + 1), n)
  return {
    symbol: new Int32Array(buffer, 0, n),
    date: new Int32Array(buffer, n * 4, n),
    open: f64(0),
    high: f64(1),
    low: f64(2),
    close: f64(3),
    volume: f64(4),
    openInterest: openInterest ? f64(5) : null,
  }
}

/** A column table over the first `n` rows of `sink` (views, no copy). */
export function sinkTable(sink: OutColumns, n: number, symbols: string[]): ColumnTable {
  return {
    length: n,
    symbols,
    symbol: sink.symbol.subarray(0, n),
    date: sink.date.subarray(0, n),
    open: sink.open.subarray(0, n),
    high: sink.high.subarray(0, n),
    low: sink.low.subarray(0, n),
    close: sink.close.subarray(0, n),
    volume: sink.volume.subarray(0, n),
    openInterest: sink.openInterest === null ? null : sink.openInterest.subarray(0, n),
  }
}

/** Moves rows `[from, from + n)` to `to` in every column. */
export function moveRows(sink: OutColumns, to: number, from: number, n: number): void {
  if (to === from || n === 0) return
  for (const col of [sink.symbol, sink.date, sink.open, sink.high, sink.low, sink.close, sink.volume]) {
    col.copyWithin(to, from, from + n)
  }
  sink.openInterest?.copyWithin(to, from, from + n)
}

/** Upper bound on the records in `b[from, end)`: its line feeds, plus one for a last line without one. */
export function countLines(b: Uint8Array, from: number, end: number): number {
  let n = 0
  for (let i = from; i < end; i++) if (b[i] === 10) n++
  if (end > from && b[end - 1] !== 10) n++
  return n
}
