import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, loadConfig, parseConfig, thresholdsFor } from '../src/config.ts'
import { ConfigError } from '../src/errors.ts'
import { tempDir } from './_runs.ts'

describe('report config', () => {
  it('defaults to p95 +10%, alpha 0.05, 2000 resamples when the file is absent', () => {
    expect(loadConfig(tempDir())).toEqual(DEFAULT_CONFIG)
    expect(DEFAULT_CONFIG.thresholds).toEqual({ p50: null, p95: 10, alloc: null })
  })
  it('reads thresholds per metric and per package', () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'ttapi.report.json'),
      JSON.stringify({
        thresholds: { p50: 5 },
        packages: { '@ttapi/collector': { thresholds: { p95: 25, p50: null } } },
        alpha: 0.01,
        resamples: 5000,
        seed: 42,
        baseline_label: 'release',
        compare_rounds: 7,
      }),
    )
    const config = loadConfig(dir)
    expect(config.thresholds).toEqual({ p50: 5, p95: 10, alloc: null })
    expect(thresholdsFor(config, '@ttapi/collector')).toEqual({ p50: null, p95: 25, alloc: null })
    expect(thresholdsFor(config, '@ttapi/cache')).toEqual({ p50: 5, p95: 10, alloc: null })
    expect(config).toMatchObject({ alpha: 0.01, resamples: 5000, seed: 42, baselineLabel: 'release', compareRounds: 7 })
  })
  it('rejects unknown keys by name, and bad values with what was received', () => {
    expect(() => parseConfig({ threshold: { p95: 10 } })).toThrow(
      'report config ttapi.report.json: unknown key `threshold` (known: $schema, thresholds, packages, alpha, resamples, seed, baseline_label, compare_rounds)',
    )
    expect(() => parseConfig({ thresholds: { p90: 10 } })).toThrow(
      /unknown key `thresholds\.p90` \(known: p50, p95, alloc\)/,
    )
    expect(() => parseConfig({ packages: { '@ttapi/x': { threshold: 1 } } })).toThrow(
      /unknown key `packages\.@ttapi\/x\.threshold`/,
    )
    expect(() => parseConfig({ thresholds: { p95: '10%' } })).toThrow(
      /expected `thresholds\.p95` to be a percent in \(0, 1000\] or null, got `"10%"` \(string\)/,
    )
    expect(() => parseConfig({ resamples: 100 })).toThrow(/expected `resamples` to be an integer from 2000/)
    expect(() => parseConfig({ alpha: 1.5 })).toThrow(/expected `alpha` to be a number in \(0, 1\)/)
    expect(() => parseConfig({ compare_rounds: 1 })).toThrow(
      /expected `compare_rounds` to be an integer from 2 to 100, got `1`/,
    )
    expect(() => parseConfig({ thresholds: { p95: null } })).toThrow(/gates no metric/)
    expect(() => parseConfig([])).toThrow(ConfigError)
  })
  it('names the file when it is not JSON or an explicit path is missing', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'ttapi.report.json'), '{ thresholds: }')
    expect(() => loadConfig(dir)).toThrow(/report config: .*ttapi\.report\.json is not valid JSON/)
    expect(() => loadConfig(dir, join(dir, 'missing.json'))).toThrow(/cannot read .*missing\.json/)
  })
})
