import { describe, expect, it } from 'vitest'
import { formatBytes, formatMs, formatSI } from '../src/format.ts'

describe('format', () => {
  it('SI, time and byte units', () => {
    expect(formatSI(1_234_567)).toBe('1.23M')
    expect(formatSI(438_000)).toBe('438k')
    expect(formatSI(12)).toBe('12')
    expect(formatMs(0.000012)).toBe('12.0 ns')
    expect(formatMs(1532)).toBe('1.53 s')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(null)).toBe('-')
  })
})
