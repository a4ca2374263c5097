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
})
