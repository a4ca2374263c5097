import { describe, expect, it } from 'vitest'
import { expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package without dependencies (Node 20 fetch does the HTTP)', () => {
    expectSourceFirst(pkg, '@ttapi/corpus')
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
