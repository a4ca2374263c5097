import { describe, expect, it } from 'vitest'
import { computeStats } from '../src/compute-stats.ts'

describe('computeStats', () => {
  it('matches a hand computation', () => {
    // samples 4, 1, 3, 2, 10 (measured order); sorted 1, 2, 3, 4, 10; n = 5
    // mean = 20 / 5 = 4
    // squared deviations 0, 9, 1, 4, 36 -> sum 50; variance = 50 / (5 - 1) = 12.5; sd = sqrt(12.5) = 3.5355339059
    // sem = sd / sqrt(5) = 1.5811388301; t(df = 4, 95%) = 2.776 (benchmark.js tTable)
    // rme = 2.776 * 1.5811388301 / 4 * 100 = 109.7310347
    // p50: h = 2 -> 3; p95: h = 3.8 -> 4 + 0.8 * 6 = 8.8; p99: h = 3.96 -> 9.76
    const samples = [4, 1, 3, 2, 10]
    const s = computeStats(samples)
    expect(s.n).toBe(5)
    expect(s.mean_ms).toBeCloseTo(4, 12)
    expect(s.p50_ms).toBe(3)
    expect(s.p95_ms).toBeCloseTo(8.8, 12)
    expect(s.p99_ms).toBeCloseTo(9.76, 12)
    expect(s.min_ms).toBe(1)
    expect(s.max_ms).toBe(10)
    expect(s.sd_ms).toBeCloseTo(3.5355339059, 9)
    expect(s.rme_pct).toBeCloseTo(109.7310347, 6)
    expect(samples).toEqual([4, 1, 3, 2, 10])
  })
  it('uses the t value of benchmark.js for larger n and 1.96 above 30 degrees of freedom', () => {
    // 40 samples alternating 1 and 3: mean 2, squared deviations all 1 -> variance 40 / 39, sd = 1.0127394
    // sem = 1.0127394 / sqrt(40) = 0.16012815; df = 39 > 30 -> t = 1.96; rme = 1.96 * 0.16012815 / 2 * 100 = 15.692559
    const s = computeStats(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1 : 3)))
    expect(s.sd_ms).toBeCloseTo(1.0127394, 6)
    expect(s.rme_pct).toBeCloseTo(15.692559, 4)
    // h = 39 * 0.5 = 19.5 between sorted[19] = 1 and sorted[20] = 3 -> 2
    expect(s.p50_ms).toBe(2)
    // h = 39 * 0.95 = 37.05 -> sorted[37] = sorted[38] = 3
    expect(s.p95_ms).toBe(3)
  })
  it('gives sd and rme 0 for a single sample', () => {
    expect(computeStats([2.5])).toEqual({
      n: 1,
      mean_ms: 2.5,
      p50_ms: 2.5,
      p95_ms: 2.5,
      p99_ms: 2.5,
      min_ms: 2.5,
      max_ms: 2.5,
      sd_ms: 0,
      rme_pct: 0,
    })
  })
  it('rejects empty or non-finite samples', () => {
    expect(() => computeStats([])).toThrow(/at least one sample/)
    expect(() => computeStats([1, Number.NaN])).toThrow(/finite/)
    expect(() => computeStats([1, Number.POSITIVE_INFINITY])).toThrow(RangeError)
  })
})
