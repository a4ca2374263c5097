import { describe, expect, it } from 'vitest'
import type { AffectedSelection } from '../src/affected-packages.ts'
import { gateComment } from '../src/gate-comment.ts'

const some: AffectedSelection = {
  mode: 'some',
  allBecause: null,
  packages: [{ name: '@ttapi/collector', why: 'changed: src/retry.ts', suites: ['symbol_collection'] }],
  skipped: ['@ttapi/analysis'],
  filter: '^(?:symbol_collection)/',
  changedFiles: ['packages/collector/src/retry.ts'],
}

describe('gateComment', () => {
  it('a confirmed regression (exit 1) is a verdict on the code', () => {
    const o = gateComment({ exitCode: 1, selection: some, report: '| case | … |', log: 'ignored' })
    expect(o.title).toBe('Confirmed performance regression')
    expect(o.body).toMatch(/^## ❌ Confirmed performance regression\n\n\*\*Benched: 1 of 2 packages\*\*/)
    expect(o.body).toContain('- `@ttapi/collector` (symbol_collection): changed: src/retry.ts')
    expect(o.body).not.toContain('ignored')
    expect(o.body.trimEnd().endsWith('| case | … |')).toBe(true)
  })

  it('a tool error (exit 2) says it is no verdict and shows the error', () => {
    const log = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n')
    const o = gateComment({ exitCode: 2, selection: some, report: null, log })
    expect(o.title).toBe('Benchmark tool error (exit 2): no verdict')
    expect(o.body).toMatch(/^## ⚠️ Benchmark tool error \(exit 2\): no verdict\n/)
    expect(o.body).toContain('not a verdict on the code')
    expect(o.body).toContain('line 11\n')
    expect(o.body).not.toContain('line 10\n')
    expect(o.body).toContain('line 40\n```')
  })

  it('exit 0 passes; nothing benched says so', () => {
    expect(gateComment({ exitCode: 0, selection: some, report: 'r', log: null }).title).toBe(
      'No confirmed performance regression',
    )
    const none = gateComment({
      exitCode: null,
      selection: { ...some, mode: 'none', packages: [], filter: null },
      report: null,
      log: null,
    })
    expect(none.body).toMatch(/^## ✅ No benchmark covers the changed packages\n\n\*\*Benched: nothing\*\*/)
  })
})
