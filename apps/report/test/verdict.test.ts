import { describe, expect, it } from 'vitest'
import { combineVerdicts, judgeMetric } from '../src/verdict.ts'
import type { RatioInterval } from '../src/types.ts'

const judge = (interval: RatioInterval, significant = true, n = { baseline: 50, current: 50 }) =>
  judgeMetric({ metric: 'p95', interval, thresholdPct: 10, significant, n })

// Hand-worked cases of the rules with t = 10%: band [1/1.1 = 0.90909, 1.1].
describe('judgeMetric', () => {
  it('regressed needs significance and the whole interval above 1 + t', () => {
    expect(judge({ ratio: 1.2, low: 1.11, high: 1.3 }).verdict).toBe('regressed')
    expect(judge({ ratio: 1.2, low: 1.11, high: 1.3 }, false).verdict).toBe('inconclusive')
    expect(judge({ ratio: 1.2, low: 1.11, high: 1.3 }, false).reason).toContain('not significant after correction')
    expect(judge({ ratio: 1.15, low: 1.09, high: 1.2 }).verdict).toBe('inconclusive')
  })
  it('improved is symmetric in log space: the whole interval below 1 / (1 + t)', () => {
    expect(judge({ ratio: 0.8, low: 0.75, high: 0.9 }).verdict).toBe('improved')
    expect(judge({ ratio: 0.85, low: 0.8, high: 0.92 }).verdict).toBe('inconclusive')
  })
  it('unchanged when the interval lies inside the band, significant or not', () => {
    expect(judge({ ratio: 1.0, low: 0.95, high: 1.05 }, false).verdict).toBe('unchanged')
    expect(judge({ ratio: 1.05, low: 1.02, high: 1.08 }, true).verdict).toBe('unchanged')
    expect(judge({ ratio: 1.0, low: 0.9091, high: 1.1 }).verdict).toBe('unchanged')
  })
  it('inconclusive says what would settle it', () => {
    const r = judge({ ratio: 1.05, low: 0.95, high: 1.16 }, false, { baseline: 5, current: 5 })
    expect(r.verdict).toBe('inconclusive')
    // Upper side: ln(1.16) - ln(1.05) = 0.09963 wide, ln(1.1) - ln(1.05) = 0.04652 from the edge:
    // 5 x (0.09963/0.04652)^2 = 22.93 -> 23
    expect(r.reason).toBe(
      'p95 +5.0% (95% CI −5.0% to +16.0%) straddles the threshold; more samples: n=5 vs 5 (about 23 per side would settle it if the ratio held)',
    )
    // An asymmetric interval (seen in an A/A compare): the lower side decides. ln(0.983) - ln(0.907) = 0.08049
    // wide, ln(0.983) + ln(1.1) = 0.07816 from the edge: 163 x (0.08049/0.07816)^2 = 172.8 -> 173, more than n.
    expect(judge({ ratio: 0.983, low: 0.907, high: 1.007 }, false, { baseline: 159, current: 163 }).reason).toContain(
      'n=159 vs 163 (about 173 per side would settle it',
    )
    expect(judge({ ratio: 1.3, low: 1.2, high: 1.4 }, true, { baseline: 1, current: 5 }).reason).toContain(
      'too few samples',
    )
  })
})

describe('judgeMetric with a zero quantile', () => {
  it('is inconclusive rather than dividing by zero', () => {
    const r = judge({ ratio: Number.POSITIVE_INFINITY, low: Number.NaN, high: Number.POSITIVE_INFINITY })
    expect(r.verdict).toBe('inconclusive')
    expect(r.reason).toContain('ratio is undefined')
    expect(judge({ ratio: 0, low: 0, high: 0 }).verdict).toBe('inconclusive')
  })
})

describe('combineVerdicts', () => {
  it('any regressed wins, then improved, then all unchanged', () => {
    expect(combineVerdicts(['improved', 'regressed'])).toBe('regressed')
    expect(combineVerdicts(['improved', 'inconclusive'])).toBe('improved')
    expect(combineVerdicts(['unchanged', 'unchanged'])).toBe('unchanged')
    expect(combineVerdicts(['unchanged', 'inconclusive'])).toBe('inconclusive')
  })
})
