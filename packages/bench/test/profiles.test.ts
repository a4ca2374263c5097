import { describe, expect, it } from 'vitest'
import { caseConfig, parseProfile } from '../src/profiles.ts'

describe('profiles', () => {
  it('quick and full settings, env overrides, per-case limits', () => {
    expect(caseConfig('quick', {}, {})).toEqual({
      engine: 'benny',
      warmup_ms: 300,
      measurement_ms: 1500,
      min_samples: 5,
      profile: 'quick',
    })
    expect(caseConfig('full', {}, {})).toEqual({
      engine: 'benny',
      warmup_ms: 3000,
      measurement_ms: 10_000,
      min_samples: 100,
      profile: 'full',
    })
    expect(caseConfig('full', {}, { maxTimeMs: 2000, minSamples: 3 })).toMatchObject({
      warmup_ms: 2000,
      measurement_ms: 2000,
      min_samples: 3,
    })
    expect(caseConfig('quick', { measurementMs: 30, warmupMs: 5 }, {})).toMatchObject({
      warmup_ms: 5,
      measurement_ms: 30,
    })
    expect(() => parseProfile('slow')).toThrow(/got `slow`/)
  })
})
