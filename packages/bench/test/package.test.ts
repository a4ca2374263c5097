import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: unknown
  bin: unknown
} & Record<string, unknown>

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg['name']).toBe('@ttapi/bench')
    expect(pkg['type']).toBe('module')
    expect(pkg['sideEffects']).toBe(false)
    expect(pkg['exports']).toEqual({ '.': './src/index.ts' })
    expect(pkg['bin']).toEqual({ 'ttapi-bench': './bin/ttapi-bench.js' })
  })
  it('pins every dependency exactly (internal ones as workspace:*)', () => {
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, v] of Object.entries((pkg[field] ?? {}) as Record<string, string>)) {
        if (name.startsWith('@ttapi/')) expect(v, name).toBe('workspace:*')
        else expect(v, name).toMatch(/^\d+\.\d+\.\d+$/)
      }
    }
  })
  it('exports what the workspace calls, not the harness internals its tests import by path', () => {
    // The names other packages import from '@ttapi/bench' (grep of the workspace), plus the error classes.
    expect(Object.keys(api).sort()).toEqual(
      [
        'BUSY_OTHER_CPU_CORES',
        'BenchError',
        'BenchLockError',
        'BenchRecordError',
        'BenchSuiteError',
        'BenchUsageError',
        'IMPORT_FORMATS',
        'appendRecord',
        'captureEnv',
        'computeStats',
        'cpuProfileFileName',
        'defineSuite',
        'findWorkspaceRoot',
        'fingerprint',
        'formatAllocation',
        'formatBytes',
        'formatSI',
        'injectFactor',
        'machineOf',
        'makeRunId',
        'parseInject',
        'quantile',
        'resultFileName',
        'sanitizeLabel',
        'tCritical',
        'topSelfTime',
        'upgradeRecord',
        'validateRecord',
      ].sort(),
    )
  })
})
