import { describe, expect, it } from 'vitest'
import { logReturns, simpleReturns } from '../src/index.ts'

describe('simpleReturns / logReturns', () => {
  it('hand: 100, 110, 99 gives NaN, 0.1, -0.1', () => {
    const out = new Float64Array(3)
    expect(simpleReturns(Float64Array.of(100, 110, 99), out)).toBe(2)
    expect(out[0]).toBeNaN()
    expect(out[1]).toBeCloseTo(0.1, 15)
    expect(out[2]).toBeCloseTo(-0.1, 15)
    expect(logReturns(Float64Array.of(100, 110, 99), out)).toBe(2)
    expect(out[1]).toBeCloseTo(Math.log(1.1), 15)
    expect(out[2]).toBeCloseTo(Math.log(0.9), 15)
  })

  it('a NaN price voids both returns that touch it; ranges write at outStart', () => {
    const out = new Float64Array(4).fill(7)
    expect(simpleReturns(Float64Array.of(1, 2, NaN, 4, 8), out, 1, 5, 0)).toBe(1)
    expect(out[0]).toBeNaN()
    expect(out[1]).toBeNaN()
    expect(out[2]).toBeNaN()
    expect(out[3]).toBe(1)
  })

  it('an empty range writes nothing', () => {
    const out = Float64Array.of(7)
    expect(simpleReturns(new Float64Array(0), out)).toBe(0)
    expect(out[0]).toBe(7)
  })
})
