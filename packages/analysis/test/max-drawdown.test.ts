import { describe, expect, it } from 'vitest'
import { maxDrawdown } from '../src/index.ts'

describe('maxDrawdown', () => {
  it('hand: 100, 120, 90, 130, 91 falls 30% from 130 (deeper than 25% from 120)', () => {
    const d = maxDrawdown(Float64Array.of(100, 120, 90, 130, 91), Int32Array.of(10, 11, 12, 13, 14))
    expect(d.maxDrawdown).toBeCloseTo(0.3, 15)
    expect([d.peakIndex, d.troughIndex, d.peakDate, d.troughDate]).toEqual([3, 4, 13, 14])
  })

  it('skips NaN, keeps the earliest of tied troughs, and handles ranges', () => {
    const d = maxDrawdown(Float64Array.of(5, 100, NaN, 50, 100, 50), null, 1, 6)
    expect(d.maxDrawdown).toBe(0.5)
    expect(d.peakIndex).toBe(1)
    expect(d.troughIndex).toBe(3)
    expect(d.peakDate).toBeNaN()
  })

  it('a rising or constant series has drawdown 0 at its first row; no prices give NaN', () => {
    expect(maxDrawdown(Float64Array.of(1, 2, 3), null)).toMatchObject({ maxDrawdown: 0, peakIndex: 0, troughIndex: 0 })
    expect(maxDrawdown(Float64Array.of(4, 4, 4), null).maxDrawdown).toBe(0)
    const none = maxDrawdown(Float64Array.of(NaN), null)
    expect(none.maxDrawdown).toBeNaN()
    expect(none.peakIndex).toBe(-1)
  })
})
