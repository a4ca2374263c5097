import { describe, expect, it } from 'vitest'
import { expectApp } from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

describe('package.json', () => {
  it('is a source-first ESM package, dependencies pinned; its ttapi bin (`pnpm ttapi`) runs the bundle, else the source', () => {
    expectApp(import.meta.url, '@ttapi/pipeline', 'ttapi')
  })

  it('exports the programmatic API and nothing else (internals are imported by path)', () => {
    // `ttapi run` as runPipeline, `ttapi watch` as PipelineSession, and the base error.
    expect(Object.keys(api).sort()).toEqual(['PipelineError', 'PipelineSession', 'runPipeline'])
  })
})
