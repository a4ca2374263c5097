import { describe, expect, it } from 'vitest'
import { caseSeries } from '../src/html-input.ts'
import { caseKey, loadHistory } from '../src/load-history.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples, writeSyntheticHistory } from '../src/_synthetic.ts'
import { main } from '../src/cli.ts'
import { captureIO as io, tempDir, writeLines } from './_runs.ts'

/** 120 daily main runs on two machines (the machine changes on day 60), one case stepping +25% on day 90, a bad line. */
function steppedHistory(): string {
  const dir = tempDir()
  const random = createRandom(21)
  for (let d = 0; d < 120; d++) {
    const startedAt = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString()
    const run = {
      id: `run-${d}`,
      label: d % 10 === 9 ? 'pr' : 'main',
      startedAt,
      commit: d.toString(16).padStart(40, '0'),
      machine: d < 60 ? 'vm-a' : 'vm-b',
    }
    const lines = ['flat', 'stepped', 'other_step'].map((name) =>
      syntheticRecord(run, {
        package: '@ttapi/x',
        suite: 's',
        case: name,
        samples: syntheticSamples(random, 15, {
          ...REALISTIC_NOISE,
          medianMs: (name === 'stepped' && d >= 90) || (name === 'other_step' && d >= 30) ? 12.5 : 10,
          sigma: 0.03,
        }),
      }),
    )
    writeLines(dir, `${startedAt.slice(0, 10)}_main.ndjson`, d === 5 ? [...lines, '{"not": "a record"}'] : lines)
  }
  return dir
}

describe('report changepoints', () => {
  it('lists change points as JSON and rejects a bad option', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 4, days: 12, labels: ['main'], cases: 2, samples: 20 })
    const t = io()
    expect(await main(['changepoints', '--history', dir, '--format', 'json'], t.io)).toBe(0)
    const parsed = JSON.parse(t.out.join('')) as { options: { maxPValue: number }; change_points: unknown[] }
    expect(parsed.options.maxPValue).toBe(1e-5)
    expect(Array.isArray(parsed.change_points)).toBe(true)
    const bad = io()
    expect(await main(['changepoints', '--history', dir, '--window', 'x'], bad.io)).toBe(2)
    expect(bad.err.join('')).toMatch(/--window to be a number/)
  })

  it('from the run aggregates finds what every record read in JS finds (issue 18)', async () => {
    const dir = steppedHistory()
    // Reference: the detector over p50s computed in JS from every record of the whole history.
    const full = await loadHistory(dir)
    const want = caseSeries(full).flatMap((s) =>
      s.changePoints.map((cp) => ({
        case: caseKey(s),
        machine: s.machine,
        p_value: cp.pValue,
        change_pct: cp.change * 100,
        first_run_after: full.runs[s.run[cp.index]!]!.id,
      })),
    )
    // The two steps, each on its machine's series; the machine change on day 60 is none.
    expect(want.map((w) => [w.case, w.machine, w.first_run_after])).toEqual([
      ['@ttapi/x/s/other_step', 'vm-a', 'run-30'],
      ['@ttapi/x/s/stepped', 'vm-b', 'run-90'],
    ])
    for (const args of [[], ['stepped']]) {
      const t = io()
      expect(await main(['changepoints', ...args, '--history', dir, '--format', 'json'], t.io)).toBe(0)
      const got = (
        JSON.parse(t.out.join('')) as {
          change_points: {
            case: string
            machine: string
            p_value: number
            change_pct: number
            first_run_after: { id: string }
          }[]
        }
      ).change_points.map((r) => ({ ...r, first_run_after: r.first_run_after.id }))
      const expected = args.length === 0 ? want : want.filter((w) => w.case.endsWith('/stepped'))
      expect(got.map((r) => [r.case, r.machine, r.first_run_after])).toEqual(
        expected.map((w) => [w.case, w.machine, w.first_run_after]),
      )
      got.forEach((r, i) => {
        expect(r.p_value).toBe(expected[i]!.p_value)
        expect(r.change_pct).toBe(expected[i]!.change_pct)
      })
    }
  })
})
