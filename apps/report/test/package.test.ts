import { describe, expect, it } from 'vitest'
import {
  expectLaunchedBin,
  expectPinnedDependencies,
  expectSourceFirst,
  readPackageJson,
} from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/report')
    expect(pkg.exports).toEqual({ '.': './src/index.ts' })
  })
  it('pins every dependency exactly and links internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })
  it('exports the programmatic API and nothing else (internals are imported by path)', () => {
    // The README's "Programmatic API": load, select, compare, render, and the base error.
    expect(Object.keys(api).sort()).toEqual([
      'ReportError',
      'compareRuns',
      'loadConfig',
      'loadHistory',
      'renderJson',
      'renderMarkdown',
      'renderTerminal',
      'selectRuns',
    ])
  })
  it('has the report bin: the install-time bundle, else src/cli.ts through tsx (a dependency); `pnpm report` runs it', () => {
    expectLaunchedBin(pkg, import.meta.url, 'report')
    expect(readPackageJson(new URL('../../../test/package-json.ts', import.meta.url).href).scripts?.['report']).toBe(
      'node apps/report/bin/report.js',
    )
  })
})
