import { describe, expect, it } from 'vitest'
import { SelectorError } from '../src/errors.ts'
import { selectRuns } from '../src/select-runs.ts'
import type { History } from '../src/types.ts'
import { makeRun } from './_runs.ts'

const c = [{ package: '@ttapi/x', suite: 's', case: 'a', samples: [1, 2] }]
const runs = [
  makeRun({ id: 'r1', label: 'main', startedAt: '2026-11-24T09:00:00.000Z', commit: '1111111aaaa' }, c),
  makeRun({ id: 'r2', label: 'main', startedAt: '2026-11-25T09:00:00.000Z', commit: '2222222bbbb' }, c),
  makeRun({ id: 'r3', label: 'pr-5', startedAt: '2026-11-25T12:00:00.000Z', commit: '3333333cccc' }, c),
  makeRun({ id: 'r4', label: 'main', startedAt: '2026-11-26T09:00:00.000Z', commit: '4444444dddd' }, c),
  makeRun({ id: 'r5', label: 'scratch', startedAt: '2026-11-26T12:00:00.000Z', commit: '4444444dddd' }, c),
]
const history: History = { dir: '/h', files: [], recordCount: 5, runs, badLines: [] }
const pick = (o: Parameters<typeof selectRuns>[1]): [string | undefined, string] => {
  const s = selectRuns(history, o)
  return [s.baseline?.id, s.current.id]
}

describe('selectRuns', () => {
  it('defaults to the newest run against the newest main run before it', () => {
    expect(pick({})).toEqual(['r4', 'r5'])
    expect(pick({ current: 'r4' })).toEqual(['r2', 'r4'])
    expect(pick({ current: 'r1' })).toEqual([undefined, 'r1'])
  })
  it('accepts a label, a date, a file name, a full or short commit and a run id', () => {
    expect(pick({ baseline: 'pr-5' })).toEqual(['r3', 'r5'])
    expect(pick({ baseline: '2026-11-25' })).toEqual(['r3', 'r5'])
    expect(pick({ baseline: '2026-11-24_main.ndjson' })).toEqual(['r1', 'r5'])
    expect(pick({ baseline: 'benchmarks/2026-11-24_main' })).toEqual(['r1', 'r5'])
    expect(pick({ baseline: '2222222' })).toEqual(['r2', 'r5'])
    expect(pick({ baseline: '2222222bbbb' })).toEqual(['r2', 'r5'])
    expect(pick({ baseline: 'r1', current: 'pr-5' })).toEqual(['r1', 'r3'])
    // The same commit as the current run: the other run with it.
    expect(pick({ baseline: '4444444' })).toEqual(['r4', 'r5'])
  })
  it('rejects an unknown selector with one line listing what exists', () => {
    const error = (() => {
      try {
        selectRuns(history, { baseline: 'nightly' })
      } catch (e) {
        return e as SelectorError
      }
    })()!
    expect(error).toBeInstanceOf(SelectorError)
    expect(error.code).toBe('REPORT_UNKNOWN_RUN')
    expect(error.message).not.toContain('\n')
    expect(error.message).toBe(
      'report: --baseline "nightly" matches no run (tried label, date, file, commit, run id); labels: main (3), pr-5 (1), scratch (1); dates: 2026-11-24 to 2026-11-26; newest runs: r5 @4444444, r4 @4444444, r3 @3333333; see `report list`',
    )
    expect(() => selectRuns(history, { current: 'zzz' })).toThrow(/--current "zzz" matches no run/)
    expect(() => selectRuns(history, { baseline: 'scratch' })).toThrow(/matches only the current run r5/)
  })
})
