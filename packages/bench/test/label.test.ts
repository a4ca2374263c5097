import { describe, expect, it } from 'vitest'
import { BenchUsageError } from '../src/errors.ts'
import { resultFileName, sanitizeLabel } from '../src/label.ts'

describe('labels and file names', () => {
  it('sanitises to [a-z0-9._-]', () => {
    expect(sanitizeLabel('feature/Fast CSV!')).toBe('feature-fast-csv')
    expect(sanitizeLabel('v1.2_rc-1')).toBe('v1.2_rc-1')
    expect(() => sanitizeLabel('///')).toThrow(BenchUsageError)
  })
  it('names the file by UTC date', () => {
    expect(resultFileName(new Date('2026-11-27T23:59:59-05:00'), 'main')).toBe('2026-11-28_main.ndjson')
  })
})
