import { describe, expect, it } from 'vitest'
import { moments } from '../src/index.ts'

describe('moments', () => {
  it('matches hand computation for 1, 2, 3, 4', () => {
    // Hand: mean 2.5; var_samp = 5/3; skewness 0 (symmetric);
    // kurtosis: m2 = 1.25, m4 = 2.5625, g2 = 1.64, G2 = 3/(2*1) * (5*1.64 - 9) = -1.2.
    const m = moments(Float64Array.of(1, 2, 3, 4))
    expect(m.count).toBe(4)
    expect(m.mean).toBe(2.5)
    expect(m.variance).toBeCloseTo(5 / 3, 14)
    expect(m.sd).toBeCloseTo(Math.sqrt(5 / 3), 14)
    expect(m.skewness).toBeCloseTo(0, 14)
    expect(m.kurtosis).toBeCloseTo(-1.2, 13)
    expect(m.min).toBe(1)
    expect(m.max).toBe(4)
  })

  it('matches hand computation of skewness for 1, 2, 10', () => {
    // Hand: mean 13/3; m2 = 438/27 = 146/9, m3 = 3570/81 (population central moments);
    // G1 = sqrt(3*2)/(3-2) * m3 / m2^1.5.
    const m2 = 146 / 9
    const m3 = 3570 / 81
    const expected = Math.sqrt(6) * (m3 / Math.pow(m2, 1.5))
    expect(moments(Float64Array.of(1, 2, 10)).skewness).toBeCloseTo(expected, 12)
    expect(expected).toBeCloseTo(1.6523, 3)
  })

  it('skips NaN and honours the range', () => {
    const m = moments(Float64Array.of(99, 1, NaN, 3, 99), 1, 4)
    expect(m.count).toBe(2)
    expect(m.mean).toBe(2)
    expect(m.variance).toBe(2)
  })

  it('is stable far from zero (Welford): 1e9 + 4, 7, 13, 16 has variance 30', () => {
    // Hand: deviations -6, -3, 3, 6 from 1e9 + 10; sum of squares 90; /3 = 30. Naive sums lose this entirely.
    const m = moments(Float64Array.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16))
    expect(m.variance).toBeCloseTo(30, 6)
  })

  it('gives NaN where a statistic is undefined', () => {
    const empty = moments(new Float64Array(0))
    expect(empty.count).toBe(0)
    for (const v of [empty.mean, empty.variance, empty.sd, empty.skewness, empty.kurtosis, empty.min, empty.max]) {
      expect(v).toBeNaN()
    }
    const one = moments(Float64Array.of(5))
    expect(one.mean).toBe(5)
    expect(one.variance).toBeNaN()
    expect(moments(Float64Array.of(1, 2)).skewness).toBeNaN()
    expect(moments(Float64Array.of(1, 2, 3)).kurtosis).toBeNaN()
    const flat = moments(Float64Array.of(7, 7, 7, 7, 7))
    expect(flat.variance).toBe(0)
    expect(flat.skewness).toBeNaN()
    expect(flat.kurtosis).toBeNaN()
  })
})
