import { describe, expect, it } from 'vitest'
import { averageTrueRange } from '../src/index.ts'

describe('averageTrueRange (Wilder)', () => {
  it('hand: period 2 over three rows', () => {
    // TR0 = 12 - 10 = 2; TR1 = max(13 - 11, |13 - 11|, |11 - 11|) = 2; TR2 = max(11 - 8, |11 - 12|, |8 - 12|) = 4.
    // ATR1 = (2 + 2) / 2 = 2; ATR2 = (2 * 1 + 4) / 2 = 3.
    const out = new Float64Array(3)
    const last = averageTrueRange(
      Float64Array.of(12, 13, 11),
      Float64Array.of(10, 11, 8),
      Float64Array.of(11, 12, 9),
      2,
      out,
    )
    expect(last).toBe(3)
    expect(out[0]).toBeNaN()
    expect(out[1]).toBe(2)
  })

  it('a NaN row restarts the average; a bad period fills NaN', () => {
    const out = new Float64Array(4)
    averageTrueRange(
      Float64Array.of(2, NaN, 2, 2),
      Float64Array.of(1, 1, 1, 1),
      Float64Array.of(1.5, 1.5, 1.5, 1.5),
      1,
      out,
    )
    expect(out[0]).toBe(1)
    expect(out[1]).toBeNaN()
    expect(out[2]).toBe(1)
    expect(averageTrueRange(Float64Array.of(1), Float64Array.of(1), Float64Array.of(1), 0, null)).toBeNaN()
  })
})
