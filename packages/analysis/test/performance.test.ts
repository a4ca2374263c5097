import { describe, expect, it } from 'vitest'
import { annualisedReturn, sharpeFromMoments, sharpeRatio } from '../src/index.ts'

describe('annualisedReturn', () => {
  it('hand: doubling over 252 rows is 100% a year; over 504 rows sqrt(2) - 1', () => {
    const x = new Float64Array(253).fill(1)
    x[252] = 2
    expect(annualisedReturn(x)).toBeCloseTo(1, 14)
    const y = new Float64Array(505).fill(1)
    y[504] = 2
    expect(annualisedReturn(y)).toBeCloseTo(Math.SQRT2 - 1, 14)
  })

  it('uses the first and last non-NaN prices and counts rows between them; one price gives NaN', () => {
    expect(annualisedReturn(Float64Array.of(NaN, 1, 2, NaN), 0, 4, 1)).toBe(1)
    expect(annualisedReturn(Float64Array.of(5))).toBeNaN()
    expect(annualisedReturn(new Float64Array(0))).toBeNaN()
  })
})

describe('sharpe', () => {
  it('hand: (mean - rf/252) / sd * sqrt(252)', () => {
    expect(sharpeFromMoments(0.001, 0.01, { riskFreeRate: 0.0252 })).toBeCloseTo(0.09 * Math.sqrt(252), 13)
    expect(sharpeFromMoments(0.001, 0)).toBeNaN()
    expect(sharpeFromMoments(0.001, NaN)).toBeNaN()
  })

  it('sharpeRatio computes the daily returns itself (hand: returns 0.1, -0.1, 0.1)', () => {
    const r = [0.1, -0.1, 0.1]
    const mean = 0.1 / 3
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 2)
    expect(sharpeRatio(Float64Array.of(100, 110, 99, 108.9))).toBeCloseTo((mean / sd) * Math.sqrt(252), 12)
  })
})
