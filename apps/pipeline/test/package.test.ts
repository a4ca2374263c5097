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
    expectSourceFirst(pkg, '@ttapi/pipeline')
  })

  it('has the ttapi bin, a launcher that runs the install-time bundle, else src/cli.ts through tsx (a dependency)', () => {
    expectLaunchedBin(pkg, import.meta.url, 'ttapi')
  })

  it('pins external dependencies exactly and internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })

  it('keeps the root `pnpm ttapi` script pointing at the CLI', () => {
    const root = readPackageJson(new URL('../../../test/package-json.ts', import.meta.url).href)
    // The bin: the bundle in plain node when it is fresh, else the source through tsx's ESM hooks (bin/ttapi.js).
    expect(root.scripts?.['ttapi']).toBe('node apps/pipeline/bin/ttapi.js')
  })

  it('exports the programmatic API and nothing else (internals are imported by path)', () => {
    // `ttapi run` as runPipeline, `ttapi watch` as PipelineSession, and the base error.
    expect(Object.keys(api).sort()).toEqual(['PipelineError', 'PipelineSession', 'runPipeline'])
  })
})
