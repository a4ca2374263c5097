import { describe, expect, it } from 'vitest'
import { caseHistory } from '../src/case-history.ts'
import { SelectorError } from '../src/errors.ts'
import { nearMatches } from '../src/_near-matches.ts'
import type { History } from '../src/types.ts'
import { makeRun } from './_runs.ts'

const CASES = [
  'collect_symbols_cold',
  'collect_symbols_cached_disk',
  'collect_symbols_cached_memory',
  'parquet_load',
  'parquet_load_zstd',
  'csv_import',
  'empty',
]

describe('nearMatches', () => {
  it('puts names containing the typed one first, shortest first, then near misspellings', () => {
    expect(nearMatches('collect_symbols_cached', CASES)).toEqual([
      'collect_symbols_cached_disk',
      'collect_symbols_cached_memory',
    ])
    // 'parquet_lod' → parquet_load is 1 edit; parquet_load_zstd is 6 edits (budget 3)
    expect(nearMatches('parquet_lod', CASES)).toEqual(['parquet_load'])
    expect(nearMatches('csv_imprt', CASES)).toEqual(['csv_import'])
    expect(nearMatches('nothing_like_it', CASES)).toEqual([])
  })
})

describe('caseHistory on a missing case', () => {
  it('suggests the near matches instead of the first names (the README example of issue 16)', () => {
    const run = makeRun(
      { id: 'r1', label: 'main', startedAt: '2026-11-26T10:00:00.000Z', commit: 'a'.repeat(40) },
      CASES.map((c) => ({ package: '@ttapi/cache', suite: 'cache', case: c, samples: [1, 2, 3] })),
    )
    const history: History = { dir: '/h', files: [], recordCount: CASES.length, runs: [run], badLines: [] }
    expect(() => caseHistory(history, 'collect_symbols_cached')).toThrow(SelectorError)
    expect(() => caseHistory(history, 'collect_symbols_cached')).toThrow(
      'report: no case "collect_symbols_cached" in the history; did you mean collect_symbols_cached_disk, collect_symbols_cached_memory? (7 cases)',
    )
    expect(() => caseHistory(history, 'cache/colect_symbols_cold')).toThrow(
      'did you mean cache/collect_symbols_cold? (7 cases)',
    )
    expect(caseHistory(history, 'collect_symbols_cached_disk').points).toHaveLength(1)
  })
})
