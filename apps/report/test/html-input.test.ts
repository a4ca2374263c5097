import { describe, expect, it } from 'vitest'
import { caseSeries } from '../src/html-input.ts'
import type { History } from '../src/types.ts'
import { makeRun } from './_runs.ts'

function history(profiles: ('quick' | 'full')[]): History {
  const runs = profiles.map((profile, i) => {
    const run = makeRun(
      {
        id: `r${i}`,
        label: 'main',
        startedAt: `2026-11-${String(10 + i).padStart(2, '0')}T00:00:00.000Z`,
        commit: `c${i}`,
      },
      // Quick runs take ~1 ms, full runs (27.6M rows instead of 1.38M) ~20 ms.
      [{ package: '@t/p', suite: 's', case: 'c', samples: profile === 'full' ? [20, 21, 22] : [1, 1.1, 1.2] }],
    )
    run.records[0]!.record.config = { ...run.records[0]!.record.config, profile }
    return run
  })
  return { dir: '/x', files: [], recordCount: runs.length, runs, badLines: [] }
}

describe('caseSeries', () => {
  it('keeps quick and full runs of one case in separate series, so a profile switch is not a change point', () => {
    const profiles: ('quick' | 'full')[] = ['quick', 'quick', 'full', 'quick', 'full', 'quick', 'quick']
    const series = caseSeries(history(profiles))
    expect(series.map((s) => [s.case, s.profile, s.run])).toEqual([
      ['c', 'quick', [0, 1, 3, 5, 6]],
      ['c', 'full', [2, 4]],
    ])
    // p50 of [1, 1.1, 1.2] is 1.1; of [20, 21, 22] is 21.
    expect(series[0]!.p50).toEqual([1.1, 1.1, 1.1, 1.1, 1.1])
    expect(series[1]!.p50).toEqual([21, 21])
    expect(series.flatMap((s) => s.changePoints)).toEqual([])
  })
})
