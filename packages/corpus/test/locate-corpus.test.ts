import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CORPUS_MARKER, locateCorpus } from '../src/index.ts'

let tmp: string
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'corpus-locate-'))
})
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true })
})

/** Makes `dir` a corpus root. */
function corpusAt(dir: string): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, CORPUS_MARKER), '')
  return dir
}

describe('locateCorpus', () => {
  it('looks in ../shared/corpus, then .corpus, and says where it looked and how to get the corpus', () => {
    const root = join(tmp, 'repo')
    mkdirSync(root)
    const none = locateCorpus({ env: undefined, root })
    expect(none.dir).toBeUndefined()
    expect(none.searched).toEqual([resolve(tmp, 'shared/corpus'), join(root, '.corpus')])
    expect(none.reason).toBe(
      `corpus not found (no PROVENANCE.sha256 in ${join(tmp, 'shared/corpus')} or ${join(root, '.corpus')}); ` +
        'corpus tests skipped: run `pnpm corpus` to download it',
    )
    corpusAt(join(root, '.corpus'))
    expect(locateCorpus({ env: undefined, root }).dir).toBe(join(root, '.corpus'))
    corpusAt(join(tmp, 'shared/corpus'))
    expect(locateCorpus({ env: undefined, root }).dir).toBe(join(tmp, 'shared/corpus'))
    // An empty TTAPI_CORPUS counts as unset.
    expect(locateCorpus({ env: '', root }).dir).toBe(join(tmp, 'shared/corpus'))
  })

  it('uses TTAPI_CORPUS alone when it is set, so a wrong setting skips instead of reading another corpus', () => {
    const root = join(tmp, 'repo')
    corpusAt(join(root, '.corpus'))
    corpusAt(join(tmp, 'shared/corpus'))
    const mine = corpusAt(join(tmp, 'mine'))
    expect(locateCorpus({ env: mine, root }).dir).toBe(mine)
    const wrong = locateCorpus({ env: '/nonexistent', root })
    expect([wrong.dir, wrong.searched]).toEqual([undefined, ['/nonexistent']])
    expect(wrong.reason).toMatch(/^corpus not found \(no PROVENANCE\.sha256 in TTAPI_CORPUS=\/nonexistent\)/)
  })
})
