import { describe, expect, it } from 'vitest'
import { makeRunId } from '../src/run-session.ts'

describe('makeRunId', () => {
  it('makes unique sortable run ids', () => {
    const d = new Date('2026-11-27T00:15:00.123Z')
    expect(makeRunId(d)).toMatch(/^20261127T001500Z-[0-9a-f]{6}$/)
    expect(makeRunId(d)).not.toBe(makeRunId(d))
  })
})
