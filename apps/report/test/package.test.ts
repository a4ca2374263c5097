import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg.name).toBe('@ttapi/report')
    expect(pkg.type).toBe('module')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.exports).toEqual({ '.': './src/index.ts' })
  })
  it('pins every dependency exactly and links internal ones as workspace:*', () => {
    for (const deps of [pkg.dependencies ?? {}, pkg.devDependencies ?? {}])
      for (const [name, version] of Object.entries(deps as Record<string, string>)) {
        if (name.startsWith('@ttapi/')) expect(version, name).toBe('workspace:*')
        else expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/)
      }
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
    expect(pkg.bin).toEqual({ report: './bin/report.js' })
    const launcher = readFileSync(new URL('../bin/report.js', import.meta.url), 'utf8')
    expect(launcher.startsWith('#!/usr/bin/env node')).toBe(true)
    expect(launcher).toContain('../dist/')
    expect(launcher).toContain('../src/cli.ts')
    expect(pkg.dependencies.tsx).toBeDefined()
    // `pnpm install` builds the bundle (pnpm runs a workspace package's own `prepare`).
    expect(pkg.scripts.prepare).toBe('node scripts/build-cli.js')
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))
    expect(root.scripts.report).toBe('node apps/report/bin/report.js')
  })
})
