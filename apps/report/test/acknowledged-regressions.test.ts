import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findAcknowledgement, readAcknowledgedRegressions } from '../src/acknowledged-regressions.ts'

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'ttapi-ack-'))
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t)
  return d
}

describe('readAcknowledgedRegressions', () => {
  it('reads Accept-Regression lines from changesets', () => {
    const d = dir({
      'brave-cats.md':
        "---\n'@ttapi/cache': patch\n---\n\nChecksum entries.\n\nAccept-Regression: cache/collect_symbols_cached_disk: checksums every entry now\n",
      'other.md': "---\n'@ttapi/bench': patch\n---\n\nAccept-Regression: @ttapi/bench:harness/empty: one more hook\n",
      'README.md': 'Accept-Regression: x/y: not a changeset\n',
    })
    const acks = readAcknowledgedRegressions(d)
    expect(acks.map((a) => [a.key, a.reason])).toEqual([
      ['cache/collect_symbols_cached_disk', 'checksums every entry now'],
      ['@ttapi/bench:harness/empty', 'one more hook'],
    ])
    expect(findAcknowledgement(acks, '@ttapi/cache', 'cache', 'collect_symbols_cached_disk')?.reason).toBe(
      'checksums every entry now',
    )
    expect(findAcknowledgement(acks, '@ttapi/bench', 'harness', 'empty')).toBeDefined()
    expect(findAcknowledgement(acks, '@ttapi/other', 'harness', 'empty')).toBeUndefined()
  })

  it('rejects a malformed line naming the file', () => {
    const d = dir({ 'bad.md': '---\n---\nAccept-Regression: just a sentence\n' })
    expect(() => readAcknowledgedRegressions(d)).toThrow(/bad\.md: cannot read "Accept-Regression: just a sentence"/)
  })

  it('is empty without a changeset folder', () => {
    expect(readAcknowledgedRegressions('/nonexistent/ttapi')).toEqual([])
  })
})

describe('.changeset/README.md', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', '.changeset', 'README.md'), 'utf8')

  it('is not read as a changeset, and its example changeset reads as documented', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-acks-'))
    writeFileSync(join(dir, 'README.md'), readme)
    expect(readAcknowledgedRegressions(dir)).toEqual([])
    const example = /```md\n(---\n[\s\S]*?)```/.exec(readme)![1]!
    writeFileSync(join(dir, 'safer-cache-writes.md'), example)
    const acks = readAcknowledgedRegressions(dir)
    expect(acks.map((a) => [a.key, a.reason])).toEqual([
      ['cache/persist_in_background_caller_cost', 'fdatasync before rename, by design'],
    ])
    expect(findAcknowledgement(acks, '@ttapi/cache', 'cache', 'persist_in_background_caller_cost')?.reason).toBe(
      'fdatasync before rename, by design',
    )
  })
})
