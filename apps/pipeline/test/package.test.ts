import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: Record<string, string>
  bin: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg.name).toBe('@ttapi/pipeline')
    expect(pkg.type).toBe('module')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.exports['.']).toBe('./src/index.ts')
  })

  it('has the ttapi bin, a launcher that runs the install-time bundle, else src/cli.ts through tsx (a dependency)', () => {
    expect(pkg.bin.ttapi).toBe('./bin/ttapi.js')
    const launcher = readFileSync(new URL('../bin/ttapi.js', import.meta.url), 'utf8')
    expect(launcher.startsWith('#!/usr/bin/env node')).toBe(true)
    expect(launcher).toContain('../dist/')
    expect(launcher).toContain('../src/cli.ts')
    expect(pkg.dependencies?.tsx).toBeDefined()
    // `pnpm install` builds the bundle (pnpm runs a workspace package's own `prepare`).
    expect((pkg as unknown as { scripts: Record<string, string> }).scripts.prepare).toBe('node scripts/build-cli.js')
  })

  it('pins external dependencies exactly and internal ones as workspace:*', () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name.startsWith('@ttapi/')) expect(version, name).toBe('workspace:*')
      else expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/)
    }
  })

  it('keeps the root `pnpm ttapi` script pointing at the CLI', () => {
    const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>
    }
    // The bin: the bundle in plain node when it is fresh, else the source through tsx's ESM hooks (bin/ttapi.js).
    expect(root.scripts.ttapi).toBe('node apps/pipeline/bin/ttapi.js')
  })

  it('exports the programmatic API and nothing else (internals are imported by path)', () => {
    // `ttapi run` as runPipeline, `ttapi watch` as PipelineSession, and the base error.
    expect(Object.keys(api).sort()).toEqual(['PipelineError', 'PipelineSession', 'runPipeline'])
  })
})
