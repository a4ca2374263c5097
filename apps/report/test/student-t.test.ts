import { describe, expect, it } from 'vitest'
import { studentTTwoSided } from '../src/student-t.ts'

describe('studentTTwoSided', () => {
  it('matches the closed forms for df = 1 and 2 and the normal limit', () => {
    // df = 1 (Cauchy): p = 1 - (2/π)·atan|t|; df = 2: p = 1 - |t|/√(2 + t²) (closed forms of the t distribution).
    for (const t of [0.3, 1, 2.5, 10]) {
      expect(studentTTwoSided(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 9)
      expect(studentTTwoSided(-t, 2)).toBeCloseTo(1 - t / Math.sqrt(2 + t * t), 9)
    }
    // Infinite df is the normal: the two-sided 5% point is 1.959963984540054 (the normal's 0.975 quantile).
    expect(studentTTwoSided(1.959963984540054, Infinity)).toBeCloseTo(0.05, 6)
    expect(studentTTwoSided(Infinity, 3)).toBe(0)
  })
})
