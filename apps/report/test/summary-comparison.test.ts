import type { BenchRecord, ImportedSummary } from '@ttapi/bench'
import { describe, expect, it } from 'vitest'
import { studentTTwoSided } from '../src/student-t.ts'
import { judgeSummary, summaryComparison } from '../src/summary-comparison.ts'

/** The two fields summaryComparison reads: an imported summary (or raw samples). */
function summary(s: ImportedSummary): BenchRecord {
  return {
    samples_ms: [s.mean_ms],
    imported: { format: 'benchmarkjs', tool: null, file: 'x.json', name: 'x', samples: 'summary', summary: s },
  } as BenchRecord
}
const raw = (samples: number[]): BenchRecord => ({ samples_ms: samples }) as BenchRecord

describe('studentTTwoSided', () => {
  it.each([
    // Reference: scipy 1.17 `2 * scipy.stats.t.sf(t, df)` (norm.sf for df = inf).
    [2.5, 5, 0.05449009934237626],
    [1.0, 30, 0.3253086154260302],
    [3.2, 12.5, 0.00728320785497604],
    [0.3, 2, 0.7924856608401776],
    [2.5, Infinity, 0.012419330651552265],
    [-0.5, Infinity, 0.6170750774519738],
  ])('t=%f, df=%f', (t, df, p) => {
    expect(studentTTwoSided(t, df)).toBeCloseTo(p, 7)
  })
})

describe('summaryComparison', () => {
  it('mean ± sd with n: the delta-method interval of the ratio of means, Welch df', () => {
    // Reference (scipy): r_b = 0.1/√10, r_c = 0.15/√8/1.2; df = 13.29 → t(13) = 2.1604;
    // exp(ln 1.2 ± t·√(r_b² + r_c²)) = 1.06708 .. 1.34948; p = 2·t.sf(ln 1.2 / se, 13.29) = 0.0050282.
    const s = summaryComparison(
      summary({ n: 10, mean_ms: 1, sd_ms: 0.1, rme_pct: null }),
      summary({ n: 8, mean_ms: 1.2, sd_ms: 0.15, rme_pct: null }),
    )
    expect(s.why).toBeNull()
    expect(s.interval!.ratio).toBeCloseTo(1.2, 12)
    expect(s.interval!.low).toBeCloseTo(1.0670751, 3)
    expect(s.interval!.high).toBeCloseTo(1.3494833, 3)
    expect(s.pValue).toBeCloseTo(0.0050282, 5)
    expect(s.basis).toBe('baseline mean ± sd, n=10; current mean ± sd, n=8')
  })

  it('mean ± rme alone: the normal 1.96, and the basis says n was not given', () => {
    // rme 7.89% → relative SE 0.0789 / 1.96 each side; exp(ln 1.3 ± 1.96 · √2 · 0.04026) = 1.1630 .. 1.4532.
    const s = summaryComparison(
      summary({ n: null, mean_ms: 1, sd_ms: null, rme_pct: 7.89 }),
      summary({ n: null, mean_ms: 1.3, sd_ms: null, rme_pct: 7.89 }),
    )
    const se = Math.SQRT2 * (0.0789 / 1.96)
    expect(s.interval!.low).toBeCloseTo(1.3 * Math.exp(-1.96 * se), 9)
    expect(s.interval!.high).toBeCloseTo(1.3 * Math.exp(1.96 * se), 9)
    expect(s.interval!.low).toBeCloseTo(1.163, 3)
    expect(s.basis).toMatch(/mean ± rme only \(n not given: normal\)/)
  })

  it('raw samples on one side: their mean, sd and n', () => {
    const s = summaryComparison(
      raw([1, 1.1, 0.9, 1.05, 0.95]),
      summary({ n: 20, mean_ms: 1, sd_ms: 0.1, rme_pct: null }),
    )
    expect(s.interval!.ratio).toBeCloseTo(1, 12)
    expect(s.basis).toBe('baseline n=5; current mean ± sd, n=20')
  })

  it('a mean without spread gives no interval, and the verdict says why', () => {
    const s = summaryComparison(
      summary({ n: null, mean_ms: 1, sd_ms: null, rme_pct: null }),
      summary({ n: 100, mean_ms: 2, sd_ms: null, rme_pct: null }),
    )
    expect(s.interval).toBeNull()
    expect(s.why).toMatch(/baseline tool kept a mean without any spread.*current tool kept a mean without any spread/)
    const j = judgeSummary(s, { p50: null, p95: 10 }, true)!
    expect(j.verdict).toBe('inconclusive')
    expect(j.reason).toMatch(/^summary statistics only, no interval/)
  })

  it('judges the mean against the p50 threshold, else the p95 one, else not at all', () => {
    const s = summaryComparison(
      summary({ n: 10, mean_ms: 1, sd_ms: 0.01, rme_pct: null }),
      summary({ n: 10, mean_ms: 1.3, sd_ms: 0.013, rme_pct: null }),
    )
    expect(judgeSummary(s, { p50: 5, p95: 10 }, true)).toMatchObject({
      metric: 'p50',
      thresholdPct: 5,
      verdict: 'regressed',
    })
    const j = judgeSummary(s, { p50: null, p95: 10 }, true)!
    expect(j).toMatchObject({ metric: 'p95', thresholdPct: 10, verdict: 'regressed' })
    expect(j.reason).toMatch(
      /^mean \+30\.0% \(95% CI .*from summary statistics: .*a normal approximation of means, not of samples\)/,
    )
    expect(judgeSummary(s, { p50: 5, p95: 10 }, false)!.verdict).toBe('inconclusive')
    expect(judgeSummary(s, { p50: null, p95: null }, true)).toBeNull()
  })
})
