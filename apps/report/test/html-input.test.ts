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

describe('caseSeries change points per machine (issue 18)', () => {
  /** 40 runs on machine a at 10 ms, then runs on machine b at 13 ms (30% slower hardware), alternating a/b after. */
  function machineHistory(stepOnB: boolean): History {
    const runs = Array.from({ length: 120 }, (_, i) => {
      const machine = i < 40 ? 'a' : i % 2 === 0 ? 'a' : 'b'
      const level = machine === 'a' ? 10 : stepOnB && i >= 81 ? 13 * 1.2 : 13
      // Deterministic wobble of ±1% so the series has noise: samples differ per run.
      const wobble = 1 + 0.01 * Math.sin(i * 1.7)
      return makeRun(
        {
          id: `r${i}`,
          label: 'main',
          startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
          commit: `c${i}`,
          machine,
        },
        [{ package: '@t/p', suite: 's', case: 'c', samples: [level * wobble, level * wobble, level * wobble] }],
      )
    })
    return { dir: '/x', files: [], recordCount: runs.length, runs, badLines: [] }
  }

  it('never reports a change of machine as a change point', () => {
    const series = caseSeries(machineHistory(false))
    expect(series.length).toBe(2)
    expect(series.flatMap((s) => s.changePoints)).toEqual([])
  })

  it('finds a step inside one machine, with the commit range of that machine', () => {
    // Machine b runs the odd runs from 41; its level steps up 20% from run 81 (b's 21st run, index 20),
    // whose previous b run is 79. Machine a's series has no change point.
    const series = caseSeries(machineHistory(true))
    expect(series.find((s) => !s.run.includes(41))!.changePoints).toEqual([])
    const b = series.find((s) => s.run.includes(41))!
    const cps = b.changePoints
    expect(cps.map((c) => [c.index, b.run[c.index], c.fromCommit, c.toCommit])).toEqual([[20, 81, 'c79', 'c81']])
    expect(cps[0]!.change).toBeCloseTo(0.2, 2)
  })
})
