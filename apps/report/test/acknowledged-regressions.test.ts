import { mkdtempSync, writeFileSync } from 'node:fs'
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
