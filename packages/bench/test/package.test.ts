import { describe, expect, it } from 'vitest'
import { expectPinnedDependencies, expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/bench')
    // make-dir (the apps' mkdir -p) and file-lock (report compact's lock): entries of their own, so importing
    // one loads nothing else of the harness.
    expect(pkg.exports).toEqual({
      '.': './src/index.ts',
      './make-dir': './src/make-dir.ts',
      './file-lock': './src/file-lock.ts',
    })
    expect(pkg.bin).toEqual({ 'ttapi-bench': './bin/ttapi-bench.js' })
  })
  it('pins every dependency exactly (internal ones as workspace:*)', () => {
    expectPinnedDependencies(pkg)
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
