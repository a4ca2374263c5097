import { describe, expect, it } from 'vitest'
import { formatDuration, formatSpeedup, renderStageTable } from '../src/stage-table.ts'
import type { RecordedRun } from '../src/types.ts'

const run = (ms: [number, number, number, number], fallbacks: RecordedRun['fallbacks'] = []): RecordedRun => ({
  at: '2026-11-27T00:00:00.000Z',
  symbols: 503,
  rows: 1_380_000,
  data: '/data',
  ms: { collection: ms[0], import: ms[1], analysis: ms[2], total: ms[3] },
  fallbacks,
})

describe('formatDuration', () => {
  it('reads like the reference table: ms, s, min s', () => {
    expect(formatDuration(88)).toBe('88 ms')
    expect(formatDuration(3.25)).toBe('3.3 ms')
    expect(formatDuration(7_800)).toBe('7.80 s')
    expect(formatDuration(63_000)).toBe('1 min 3 s')
    // The reference's cold total: 3 min 2 s = 182 s.
    expect(formatDuration(182_000)).toBe('3 min 2 s')
    expect(formatDuration(NaN)).toBe('—')
  })
})

describe('formatSpeedup', () => {
  it('is cold / cached, one decimal below 100x; a dash when a side is missing', () => {
    // The reference's whole pipeline: 182 s / 7.8 s = 23.33...
    expect(formatSpeedup(182_000, 7_800)).toBe('23.3x')
    expect(formatSpeedup(1000, 5)).toBe('200x')
    expect(formatSpeedup(null, 5)).toBe('—')
    expect(formatSpeedup(5, 0)).toBe('—')
  })
})

describe('renderStageTable', () => {
  it('has the rows symbol collection, EOD import, analysis, total and says which run each column is', () => {
    const text = renderStageTable(
      { version: 1, cold: run([500, 700, 40, 1300]), cached: run([5, 33, 35, 80]) },
      'cached',
    )
    const lines = text.split('\n')
    expect(lines[0]).toBe('| Operation         |   Cold | Cached | Speedup |')
    expect(lines[1]).toBe('|-------------------|-------:|-------:|--------:|')
    expect(lines[2]).toBe('| Symbol collection | 500 ms | 5.0 ms |    100x |')
    expect(lines[5]).toBe('| Total             | 1.30 s |  80 ms |   16.3x |')
    expect(text).toContain('cold: run of 2026-11-27T00:00:00.000Z (503 symbols, 1,380,000 rows); cached: this run')
  })

  it('marks stages a cached run did cold, and dashes a kind that never ran', () => {
    const text = renderStageTable({ version: 1, cold: null, cached: run([500, 33, 35, 600], ['collection']) }, 'cached')
    expect(text).toContain('| Symbol collection |    — | 500 ms * |       — |')
    expect(text).toContain('cold: no run yet')
    expect(text).toContain('* the cached run did this stage cold')
  })
})
