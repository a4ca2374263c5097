import { describe, expect, it } from 'vitest'
import { cyymmddToDays, daysToCyymmdd, mbfToNumber, numberToMbf } from '../../src/metastock/_mbf.ts'
import { isoDate as isoDay } from '../../src/_calendar.ts'

describe('MBF singles', () => {
  it('decodes hand-computed words: value = ±0.1mmm₂ × 2^(E−128)', () => {
    // 1 = 0.1₂ × 2^1 → E = 129 (0x81), mantissa 0; 0.5 → E = 128; 10 = 0.101₂ × 2^4 → E = 132, m = 0x200000.
    expect(mbfToNumber(0x8100_0000)).toBe(1)
    expect(mbfToNumber(0x8180_0000)).toBe(-1)
    expect(mbfToNumber(0x8000_0000)).toBe(0.5)
    expect(mbfToNumber(0x8420_0000)).toBe(10)
    // E = 0 is zero whatever the mantissa; E = 1, 2 (e.g. bytes 00 00 00 02, FORMAT.md §7.3) read as 0.
    expect(mbfToNumber(0x0012_3456)).toBe(0)
    expect(mbfToNumber(0x0200_0000)).toBe(0)
    expect(mbfToNumber(0x01ff_ffff)).toBe(0)
  })

  it('encodes as the inverse, rounding to float32', () => {
    for (const v of [1, -1, 0.5, 10, 0.8565, 23_785, 1_100_104, 123_456_789, -0.0001]) {
      expect(mbfToNumber(numberToMbf(v))).toBe(Math.fround(v))
    }
    expect(numberToMbf(0)).toBe(0)
    expect(numberToMbf(Number.NaN)).toBe(0)
    expect(numberToMbf(1e-45)).toBe(0)
    expect(numberToMbf(1)).toBe(0x8100_0000)
    // Beyond MBF's range: clamps to the largest magnitude (E = 255).
    expect(numberToMbf(3e38) >>> 24).toBe(0xff)
  })
})

describe('MetaStock dates', () => {
  it('decodes CYYMMDD (FORMAT.md §6 examples) and rejects non-dates', () => {
    expect(isoDay(cyymmddToDays(1_100_104))).toBe('2010-01-04')
    expect(isoDay(cyymmddToDays(900_622))).toBe('1990-06-22')
    expect(isoDay(cyymmddToDays(781_115))).toBe('1978-11-15')
    expect(isoDay(cyymmddToDays(1_211_126))).toBe('2021-11-26')
    expect(isoDay(cyymmddToDays(1_000_229))).toBe('2000-02-29')
    expect(cyymmddToDays(1_010_229)).toBeNaN()
    expect(cyymmddToDays(1_100_230)).toBeNaN()
    expect(cyymmddToDays(1_101_301)).toBeNaN()
    expect(cyymmddToDays(0)).toBeNaN()
    expect(cyymmddToDays(1_100_104.5)).toBeNaN()
    expect(daysToCyymmdd(cyymmddToDays(1_100_104))).toBe(1_100_104)
  })
})
