import { describe, expect, it } from 'vitest'
import { vwap } from '../src/index.ts'

describe('vwap', () => {
  it('hand: typical prices 10 and 20 with volumes 1 and 3 give 17.5', () => {
    expect(vwap(Float64Array.of(11, 21), Float64Array.of(9, 19), Float64Array.of(10, 20), Float64Array.of(1, 3))).toBe(
      17.5,
    )
  })

  it('skips rows with a NaN; zero volume gives NaN', () => {
    expect(vwap(Float64Array.of(NaN, 3), Float64Array.of(1, 3), Float64Array.of(1, 3), Float64Array.of(5, 2))).toBe(3)
    expect(vwap(Float64Array.of(1), Float64Array.of(1), Float64Array.of(1), Float64Array.of(0))).toBeNaN()
  })
})
