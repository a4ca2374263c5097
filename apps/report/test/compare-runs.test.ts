import { describe, expect, it } from 'vitest'
import { compareRuns } from '../src/compare-runs.ts'
import { createRandom } from '../src/_random.ts'
import { OUTLIER_NOISE, REALISTIC_NOISE, syntheticSamples } from '../src/_synthetic.ts'
import type { NoiseModel } from '../src/_synthetic.ts'
import type { Comparison } from '../src/types.ts'
import { makeRun } from './_runs.ts'

// Noise model (src/_synthetic.ts REALISTIC_NOISE): every sample is median x exp(0.1 Z), Z ~ N(0, 1):
// lognormal (positive, right-skewed like timing noise) with about a 10% spread; 100 samples per case
// per side. A shift multiplies every sample, so p50 and p95 move by the same factor. OUTLIER_NOISE
// adds 2% outliers (x1.3-2, GC pauses) to check that outliers cost power but never false verdicts.
const SAMPLES = 100

function compare(seed: number, factor: number, model: NoiseModel = REALISTIC_NOISE, CASES = 4): Comparison {
  const random = createRandom(seed)
  const side = (f: number): { package: string; suite: string; case: string; samples: number[] }[] =>
    Array.from({ length: CASES }, (_, i) => ({
      package: '@ttapi/sim',
      suite: 'sim',
      case: `case_${i}`,
      samples: syntheticSamples(random, SAMPLES, { ...model, medianMs: 1 + i, factor: i === 0 ? f : 1 }),
    }))
  const base = makeRun(
    { id: `b${seed}`, label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: 'aaaa111' },
    side(1),
  )
  const cur = makeRun(
    { id: `c${seed}`, label: 'pr', startedAt: '2026-11-26T10:00:00.000Z', commit: 'bbbb222' },
    side(factor),
  )
  return compareRuns(base, cur, { config: { seed } })
}

describe('compareRuns on generated histories', () => {
  it('calls an injected +20% p95 shift regressed, and names the interval', () => {
    const c = compare(7, 1.2)
    const row = c.cases.find((x) => x.case === 'case_0')!
    expect(row.status).toBe('regressed')
    expect(row.intervals!.p95.low).toBeGreaterThan(1.1)
    expect(row.p95.changePct).toBeGreaterThan(10)
    expect(row.reason).toMatch(/p95 \+\d+\.\d% \(95% CI/)
    expect(c.counts.regressed).toBe(1)
  })

  it('calls an injected 50% speed-up improved, and a lower throughput is never called improved', () => {
    const c = compare(11, 0.5)
    const row = c.cases.find((x) => x.case === 'case_0')!
    expect(row.status).toBe('improved')
    expect(row.throughput.changePct).toBeGreaterThan(80) // higher is better for throughput
    expect(row.p50.changePct).toBeLessThan(-40) // lower is better for time
  })

  it('A/A: identical distributions give at most 5% false regressed over 200 seeded comparisons', () => {
    let regressed = 0
    let improved = 0
    let cases = 0
    for (let seed = 1; seed <= 200; seed++) {
      const c = compare(1000 + seed, 1, seed % 2 === 0 ? REALISTIC_NOISE : OUTLIER_NOISE)
      for (const row of c.cases) {
        cases++
        if (row.status === 'regressed') regressed++
        if (row.status === 'improved') improved++
      }
    }
    // 800 case comparisons (half with outliers); the observed false rates are printed for the record.
    console.info(`A/A: ${regressed} regressed, ${improved} improved of ${cases} case comparisons`)
    expect(regressed / cases).toBeLessThanOrEqual(0.05)
    expect(improved / cases).toBeLessThanOrEqual(0.05)
  })

  it('detects an injected +25% shift at least 95% of the time at realistic noise (200 seeds)', () => {
    let detected = 0
    for (let seed = 1; seed <= 200; seed++) {
      const row = compare(5000 + seed, 1.25, REALISTIC_NOISE, 1).cases.find((x) => x.case === 'case_0')!
      if (row.status === 'regressed') detected++
    }
    console.info(`+25%: detected ${detected} of 200`)
    expect(detected / 200).toBeGreaterThanOrEqual(0.95)
  })

  it('says what would settle an inconclusive case', () => {
    // 5 samples per side at 20% noise cannot pin a 10% change.
    const random = createRandom(3)
    const noisy: NoiseModel = { medianMs: 10, sigma: 0.2, outlierRate: 0, factor: 1 }
    const mk = (f: number): { package: string; suite: string; case: string; samples: number[] }[] => [
      {
        package: '@ttapi/sim',
        suite: 'sim',
        case: 'noisy',
        samples: syntheticSamples(random, 5, { ...noisy, factor: f }),
      },
    ]
    const c = compareRuns(
      makeRun({ id: 'b', label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: null }, mk(1)),
      makeRun({ id: 'c', label: 'pr', startedAt: '2026-11-26T10:00:00.000Z', commit: null }, mk(1.1)),
    )
    expect(c.cases[0]!.status).toBe('inconclusive')
    expect(c.cases[0]!.reason).toContain('more samples: n=5 vs 5')
  })

  it('lists cases present on one side only as added / removed', () => {
    const random = createRandom(9)
    const s = (): number[] => syntheticSamples(random, 20, REALISTIC_NOISE)
    const base = makeRun({ id: 'b', label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: null }, [
      { package: '@ttapi/x', suite: 's', case: 'kept', samples: s() },
      { package: '@ttapi/x', suite: 's', case: 'gone', samples: s() },
    ])
    const cur = makeRun({ id: 'c', label: 'pr', startedAt: '2026-11-26T10:00:00.000Z', commit: null }, [
      { package: '@ttapi/x', suite: 's', case: 'kept', samples: s() },
      { package: '@ttapi/x', suite: 's', case: 'fresh', samples: s() },
    ])
    const c = compareRuns(base, cur)
    expect(Object.fromEntries(c.cases.map((x) => [x.case, x.status]))).toMatchObject({
      gone: 'removed',
      fresh: 'added',
    })
    expect(c.counts.added).toBe(1)
    expect(c.counts.removed).toBe(1)
    const only = compareRuns(null, cur)
    expect(only.cases.every((x) => x.status === 'no_baseline')).toBe(true)
  })

  it('flags a fingerprint mismatch per case, with the config field that differs', () => {
    const random = createRandom(4)
    const s = (): number[] => syntheticSamples(random, 20, REALISTIC_NOISE)
    const base = makeRun({ id: 'b', label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: null }, [
      { package: '@ttapi/x', suite: 's', case: 'a', samples: s() },
      { package: '@ttapi/x', suite: 's', case: 'b', samples: s() },
    ])
    const cur = makeRun({ id: 'c', label: 'pr', startedAt: '2026-11-26T10:00:00.000Z', commit: null }, [
      { package: '@ttapi/x', suite: 's', case: 'a', samples: s() },
      { package: '@ttapi/x', suite: 's', case: 'b', samples: s() },
    ])
    const changed = cur.records[1]!.record
    changed.fingerprint = 'fedcba9876543210'
    changed.config = { ...changed.config, min_samples: 3 }
    const c = compareRuns(base, cur)
    expect(c.cases.map((x) => x.fingerprintMismatch)).toEqual([false, true])
    // A configuration change is not judged: the ratio is shown, the verdict withheld.
    expect(c.cases.map((x) => x.status)).toEqual(['unchanged', 'not_judged'])
    expect(c.cases[1]!.notJudged).toBe('other_config')
    expect(c.cases[1]!.intervals).not.toBeNull()
    expect(c.fingerprintMismatch).toBe(false)
    expect(c.envDifferences).toEqual([{ field: 'config.min_samples', baseline: 10, current: 3 }])
    expect(compareRuns(base, base).fingerprintMismatch).toBe(false)
  })

  it('applies per-package thresholds and is reproducible for a seed', () => {
    const a = compare(7, 1.2)
    const b = compare(7, 1.2)
    expect(a.cases[0]!.intervals).toEqual(b.cases[0]!.intervals)
    const random = createRandom(7)
    const mk = (f: number): { package: string; suite: string; case: string; samples: number[] }[] => [
      {
        package: '@ttapi/lax',
        suite: 's',
        case: 'c',
        samples: syntheticSamples(random, 100, { ...REALISTIC_NOISE, factor: f }),
      },
    ]
    const base = makeRun({ id: 'b', label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: null }, mk(1))
    const cur = makeRun({ id: 'c', label: 'pr', startedAt: '2026-11-26T10:00:00.000Z', commit: null }, mk(1.3))
    const strictRow = compareRuns(base, cur).cases[0]!
    const laxRow = compareRuns(base, cur, {
      config: { packages: { '@ttapi/lax': { thresholds: { p95: 50 } } } },
    }).cases[0]!
    expect(strictRow.status).toBe('regressed')
    expect(laxRow.status).toBe('unchanged')
    expect(laxRow.metrics).toEqual([{ metric: 'p95', thresholdPct: 50, verdict: 'unchanged' }])
  })
})
