import { describe, expect, it } from 'vitest'
import { quantile } from '../src/quantile.ts'

// Reference values by hand with DuckDB quantile_cont's rule: h = (n - 1) * p,
// q = x[floor(h)] + (h - floor(h)) * (x[ceil(h)] - x[floor(h)]).
describe('quantile (linear interpolation, DuckDB quantile_cont)', () => {
  const xs = [1, 2, 3, 4, 10]
  it('interpolates between closest ranks', () => {
    // h = 4 * 0.5 = 2 -> x[2] = 3
    expect(quantile(xs, 0.5)).toBe(3)
    // h = 4 * 0.95 = 3.8 -> 4 + 0.8 * (10 - 4) = 8.8
    expect(quantile(xs, 0.95)).toBeCloseTo(8.8, 12)
    // h = 4 * 0.99 = 3.96 -> 4 + 0.96 * 6 = 9.76
    expect(quantile(xs, 0.99)).toBeCloseTo(9.76, 12)
    // h = 4 * 0.25 = 1 -> x[1] = 2
    expect(quantile(xs, 0.25)).toBe(2)
    // even n: [1, 2, 3, 4], h = 3 * 0.5 = 1.5 -> 2 + 0.5 * (3 - 2) = 2.5
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5)
    // h = 3 * 0.1 = 0.3 -> 1 + 0.3 * 1 = 1.3
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12)
  })
  it('returns the ends at p = 0 and p = 1, the value itself for n = 1', () => {
    expect(quantile(xs, 0)).toBe(1)
    expect(quantile(xs, 1)).toBe(10)
    expect(quantile([7.5], 0.95)).toBe(7.5)
    expect(quantile(Float64Array.of(2, 4), 0.5)).toBe(3)
  })
  it('does not modify its input', () => {
    const a = [1, 5, 9]
    quantile(a, 0.3)
    expect(a).toEqual([1, 5, 9])
  })
  it('is NaN for no samples and rejects p outside [0, 1]', () => {
    expect(quantile([], 0.5)).toBeNaN()
    expect(() => quantile(xs, 1.5)).toThrow(/Expected `p` in \[0, 1\], got `1.5`/)
    expect(() => quantile(xs, -0.1)).toThrow(RangeError)
    expect(() => quantile(xs, Number.NaN)).toThrow(RangeError)
  })
})
