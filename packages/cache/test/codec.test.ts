import { describe, expect, it } from 'vitest'
import type { ColumnTable } from '@ttapi/columnar-io'
import { CODEC_IDS, decodeValue, encodeValue, pickCodec } from '../src/index.ts'
import type { CodecName } from '../src/index.ts'

// Joins the chunks into one 8-aligned buffer, as the entry file gives the payload.
function roundTrip(value: unknown, codec?: CodecName): unknown {
  const encoded = encodeValue(value, codec)
  const joined = new Uint8Array(encoded.length)
  let at = 0
  for (const chunk of encoded.chunks) {
    joined.set(chunk, at)
    at += chunk.byteLength
  }
  expect(at).toBe(encoded.length)
  return decodeValue(encoded.codec, joined)
}

const table: ColumnTable = {
  length: 3,
  symbols: ['AAPL', 'BRK.B'],
  symbol: Int32Array.from([0, 1, 1]),
  date: Int32Array.from([19723, 19723, 19724]),
  open: Float64Array.from([1.5, 2.25, -0]),
  high: Float64Array.from([2, 3, 4]),
  low: Float64Array.from([1, 2, Number.MIN_VALUE]),
  close: Float64Array.from([1.75, 2.5, 3.125]),
  volume: Float64Array.from([100, 2e12, 0]),
  openInterest: null,
}

describe('codecs', () => {
  const jsonLike = { a: 1, b: 'é✓', c: [true, false, null, 1.5e300, -3], d: { nested: { deep: ['x'] } }, e: '' }

  for (const codec of ['msgpack', 'columnar', 'v8', 'json'] as const) {
    it(`${codec} round-trips JSON-like data`, () => {
      expect(roundTrip(jsonLike, codec)).toEqual(jsonLike)
    })
  }

  it('picks columnar for values with typed arrays and msgpack otherwise', () => {
    expect(pickCodec(jsonLike)).toBe('msgpack')
    expect(pickCodec([1, 2, 'a'])).toBe('msgpack')
    expect(pickCodec(table)).toBe('columnar')
    expect(pickCodec({ deep: [{ x: new Uint8Array(1) }] })).toBe('columnar')
    expect(encodeValue(table).codec).toBe(CODEC_IDS.columnar)
  })

  it('columnar round-trips a ColumnTable bit for bit, columns viewed in place', () => {
    const back = roundTrip(table) as ColumnTable
    expect(back).toEqual(table)
    expect(back.symbol).toBeInstanceOf(Int32Array)
    expect(back.close).toBeInstanceOf(Float64Array)
    expect(Object.is(back.open[2], -0)).toBe(true)
    expect(back.openInterest).toBeNull()
    // Zero copy: every column shares the payload's buffer.
    expect(back.close.buffer).toBe(back.symbol.buffer)
  })

  it('columnar keeps every typed-array kind, empty columns and subarray views', () => {
    const big = new Float64Array(10).map((_, i) => i)
    const value = {
      i8: Int8Array.from([-128, 127]),
      u8c: Uint8ClampedArray.from([0, 255]),
      i16: Int16Array.from([-32768]),
      u16: Uint16Array.from([65535]),
      u32: Uint32Array.from([4294967295]),
      f32: Float32Array.from([0.5]),
      i64: BigInt64Array.from([-(2n ** 63n)]),
      u64: BigUint64Array.from([2n ** 64n - 1n]),
      empty: new Float64Array(0),
      view: big.subarray(3, 6),
      list: [Uint8Array.from([1, 2, 3]), 'tail'],
    }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    expect([...back.view]).toEqual([3, 4, 5])
  })

  it('falls back to msgpack when a user object uses the reserved placeholder key', () => {
    const value = { __ttcol: 0, col: Float64Array.from([1, 2]) }
    const encoded = encodeValue(value, 'columnar')
    expect(encoded.codec).toBe(CODEC_IDS.msgpack)
    expect(roundTrip(value, 'columnar')).toEqual(value)
  })

  it('msgpack, forced, keeps typed arrays as typed arrays (copies)', () => {
    const value = { col: Float64Array.from([1.5, 2.5]) }
    expect(roundTrip(value, 'msgpack')).toEqual(value)
  })

  it('rejects an unknown codec id and a columnar payload that overruns', () => {
    expect(() => decodeValue(99, new Uint8Array(8))).toThrow(/unknown codec id 99/)
    const encoded = encodeValue(table)
    const joined = Buffer.concat(encoded.chunks)
    expect(() => decodeValue(CODEC_IDS.columnar, joined.subarray(0, joined.length - 8))).toThrow(/overruns/)
  })
})
