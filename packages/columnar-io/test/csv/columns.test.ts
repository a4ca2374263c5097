import { describe, expect, it } from 'vitest'
import { allocSink } from '../../src/csv/_columns.ts'
import type { OutColumns } from '../../src/_out-columns.ts'

function columns(s: OutColumns): (Int32Array | Float64Array)[] {
  return [
    s.symbol,
    s.date,
    s.open,
    s.high,
    s.low,
    s.close,
    s.volume,
    ...(s.openInterest === null ? [] : [s.openInterest]),
  ]
}

describe('allocSink', () => {
  it('gives shared columns of n zeroed rows that do not overlap', () => {
    for (const oi of [false, true]) {
      for (const n of [0, 1, 3, 8191, 100_003]) {
        const cols = columns(allocSink(n, oi, true))
        expect(cols).toHaveLength(oi ? 8 : 7)
        cols.forEach((c) => {
          expect(c.length).toBe(n)
          expect(c.buffer).toBeInstanceOf(SharedArrayBuffer)
          expect(c.byteOffset % c.BYTES_PER_ELEMENT).toBe(0)
          expect(c.every((v) => v === 0)).toBe(true)
        })
        // Each column holds its own values: fill all, then read every one back.
        cols.forEach((c, k) => c.fill(k + 1))
        cols.forEach((c, k) => expect(c.every((v) => v === k + 1)).toBe(true))
      }
    }
  })

  it('gives plain columns when not shared', () => {
    const cols = columns(allocSink(10, true, false))
    cols.forEach((c) => {
      expect(c.buffer).toBeInstanceOf(ArrayBuffer)
      expect(c.length).toBe(10)
    })
  })

  it('keeps many large sinks alive at once, each with its own memory', () => {
    // Each shared sink reserves its own wasm memory (8 MB here); 150 live ones must not collide or fail.
    const live = Array.from({ length: 150 }, () => allocSink(170_000, false, true))
    live.forEach((s, i) => (s.close[169_999] = i))
    live.forEach((s, i) => expect(s.close[169_999]).toBe(i))
  })
})
