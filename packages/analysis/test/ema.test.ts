import { describe, expect, it } from 'vitest'
import { ema } from '../src/index.ts'

describe('ema', () => {
  it('hand: span 3 (alpha 0.5) over 2, 4, 8 gives 2, 3, 5.5', () => {
    const out = new Float64Array(3)
    expect(ema(Float64Array.of(2, 4, 8), 3, out)).toBe(5.5)
    expect(Array.from(out)).toEqual([2, 3, 5.5])
  })

  it('a step from 0 to 1 approaches 1 as 1 - (1 - alpha)^k (closed form)', () => {
    const x = new Float64Array(50).fill(1)
    x[0] = 0
    const out = new Float64Array(50)
    ema(x, 12, out)
    const alpha = 2 / 13
    for (let k = 0; k < 50; k++) expect(out[k]).toBeCloseTo(1 - Math.pow(1 - alpha, k), 14)
  })

  it('NaN gives NaN at its row and keeps the average; leading NaN delays the seed', () => {
    const out = new Float64Array(4)
    ema(Float64Array.of(NaN, 2, NaN, 4), 3, out)
    expect(out[0]).toBeNaN()
    expect(out[1]).toBe(2)
    expect(out[2]).toBeNaN()
    expect(out[3]).toBe(3)
    expect(ema(Float64Array.of(NaN), 3, out)).toBeNaN()
    expect(ema(Float64Array.of(1, 2), 0, out)).toBeNaN()
  })
})
