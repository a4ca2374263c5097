import { describe, expect, it } from 'vitest'
import { erfc, mannWhitneyU } from '../src/mann-whitney.ts'

// Reference values: scipy 1.17.1 scipy.stats.mannwhitneyu (two-sided), computed on this machine.
describe('mannWhitneyU', () => {
  it('is exact for small samples without ties', () => {
    // mannwhitneyu([1,2,3],[4,5,6], method='exact') -> U=0, p=0.1
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6])
    expect(r.method).toBe('exact')
    expect(r.u).toBe(0)
    expect(r.pValue).toBeCloseTo(0.1, 10)
    // mannwhitneyu(a2, b2, method='exact') -> U=14, p=0.03595228301110654
    const r2 = mannWhitneyU([0.8, 1.3, 2.7, 3.9, 4.4, 5.0, 6.1, 7.7], [1.9, 3.2, 5.5, 6.8, 8.2, 9.9, 10.4, 11.6, 12.0])
    expect(r2.u).toBe(14)
    expect(r2.pValue).toBeCloseTo(0.03595228301110654, 10)
  })
  it('uses the tie-corrected normal approximation with continuity correction when there are ties', () => {
    // mannwhitneyu(a, b, method='asymptotic', use_continuity=True) -> U=11, p=0.054224898519599225
    const r = mannWhitneyU([1.1, 2.2, 2.2, 3.5, 4.0, 4.0, 5.1], [2.2, 3.0, 4.0, 6.2, 7.1, 7.1, 8.0, 9.3])
    expect(r.method).toBe('normal')
    expect(r.u).toBe(11)
    expect(r.pValue).toBeCloseTo(0.054224898519599225, 6)
  })
  it('gives p = 1 for identical constant samples and handles empty input', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).pValue).toBe(1)
    expect(mannWhitneyU([], [1]).pValue).toBe(1)
  })
  it('erfc matches known values (Abramowitz & Stegun table: erfc(1) = 0.157299207)', () => {
    expect(erfc(0)).toBeCloseTo(1, 6)
    expect(erfc(1)).toBeCloseTo(0.157299207, 6)
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6)
  })
})
