import { describe, expect, it } from 'vitest'
import { expectApp, readPackageJson } from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

describe('package.json', () => {
  it('is a source-first ESM package, dependencies pinned; its report bin (`pnpm report`) runs the bundle, else the source', () => {
    expectApp(import.meta.url, '@ttapi/report', 'report')
    expect(readPackageJson(import.meta.url).exports).toEqual({ '.': './src/index.ts' })
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
})
