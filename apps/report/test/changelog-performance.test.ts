import { describe, expect, it } from 'vitest'
import { formatPerformanceSection, insertPerformanceSection, lastReleaseRun } from '../src/changelog-performance.ts'

const CHANGELOG = `# @ttapi/cache

## 0.2.0

### Minor Changes

- abc1234: Faster disk layer.

## 0.1.0

### Performance

<!-- ttapi-run: run-old -->

First release measured.

### Minor Changes

- def5678: First.
`

describe('changelog performance sections', () => {
  it('finds the run of the newest section', () => {
    expect(lastReleaseRun(CHANGELOG)).toBe('run-old')
    expect(lastReleaseRun('# x\n')).toBeNull()
  })

  it('inserts under the new version heading, idempotently', () => {
    const section = formatPerformanceSection({
      currentRun: 'run-new',
      baselineRun: 'run-old',
      baselineLabel: 'main',
      lines: [
        { suite: 'cache', case: 'disk', verdict: 'improved', ratio: 0.5 },
        { suite: 'cache', case: 'memory', verdict: 'unchanged', ratio: 1.01 },
        { suite: 'cache', case: 'persist', verdict: 'regressed', ratio: 1.3, accepted: 'fsync per write' },
      ],
    })
    const once = insertPerformanceSection(CHANGELOG, '0.2.0', section)
    const twice = insertPerformanceSection(once, '0.2.0', section)
    expect(twice).toBe(once)
    expect(lastReleaseRun(once)).toBe('run-new')
    const v2 = once.slice(once.indexOf('## 0.2.0'), once.indexOf('## 0.1.0'))
    expect(v2).toContain('### Performance')
    expect(v2).toContain('- ✅ `cache/disk`: 2.00x faster (p50)')
    expect(v2).toContain('- ⚠️ `cache/persist`: 1.30x slower (p50) — accepted regression: fsync per write')
    expect(v2).not.toContain('cache/memory')
    expect(v2.indexOf('### Performance')).toBeLessThan(v2.indexOf('### Minor Changes'))
  })

  it('says so when nothing changed significantly', () => {
    const s = formatPerformanceSection({
      currentRun: 'b',
      baselineRun: 'a',
      baselineLabel: null,
      lines: [{ suite: 's', case: 'c', verdict: 'inconclusive', ratio: 1.2 }],
    })
    expect(s).toContain('No significant performance change.')
  })

  it('refuses a version that has no heading', () => {
    expect(() => insertPerformanceSection(CHANGELOG, '9.9.9', '### Performance')).toThrow(/no "## 9.9.9" heading/)
  })
})
