import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: Record<string, string>
  dependencies?: Record<string, string>
}

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package without dependencies (Node 20 fetch does the HTTP)', () => {
    expect(pkg.name).toBe('@ttapi/corpus')
    expect(pkg.type).toBe('module')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.exports['.']).toBe('./src/index.ts')
    expect(pkg.dependencies).toBeUndefined()
  })

  it('exports the documented API', () => {
    expect(Object.keys(api).sort()).toEqual([
      'CORPUS_MARKER',
      'CorpusChecksumError',
      'CorpusDownloadError',
      'CorpusError',
      'CorpusManifestError',
      'CorpusUsageError',
      'MANIFEST_PATH',
      'PARTIAL_SUFFIX',
      'downloadCorpus',
      'loadManifest',
      'locateCorpus',
    ])
  })
})
