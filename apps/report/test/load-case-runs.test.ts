import { describe, expect, it } from 'vitest'
import { caseHistory } from '../src/case-history.ts'
import { main } from '../src/cli.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import { caseSeries } from '../src/html-input.ts'
import { loadCaseRuns } from '../src/load-case-runs.ts'
import { caseKey, loadHistory } from '../src/load-history.ts'
import { loadRunIndex } from '../src/run-index.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import { tempDir, writeLines } from './_runs.ts'

const DAYS = 300
const CASES = ['flat_a', 'flat_b', 'stepped']

/**
 * 300 daily main runs (more files than one read batch) of 3 cases, 12 samples each; `stepped` is 30%
 * slower from day 150 on; one file holds a bad line.
 */
function history(): string {
  const dir = tempDir()
  const random = createRandom(18)
  for (let d = 0; d < DAYS; d++) {
    const startedAt = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString()
    const run = { id: `run-${d}`, label: 'main', startedAt, commit: d.toString(16).padStart(40, '0') }
    const lines = CASES.map((name) =>
      syntheticRecord(run, {
        package: '@ttapi/x',
        suite: 's',
        case: name,
        samples: syntheticSamples(random, 12, {
          ...REALISTIC_NOISE,
          medianMs: name === 'stepped' && d >= 150 ? 13 : 10,
          sigma: 0.02,
        }),
      }),
    )
    writeLines(dir, `${startedAt.slice(0, 10)}_main.ndjson`, d === 7 ? [...lines, '{"not": "a record"}'] : lines)
  }
  return dir
}

function capture(cwd: string): { io: CommandIO; out: string[] } {
  const out: string[] = []
  return { io: { stdout: (s) => out.push(s), stderr: () => {}, cwd, color: false }, out }
}

describe('one case read alone (issue 18)', () => {
  const dir = history()

  it("loadCaseRuns reads and validates that case's records only, every run's metadata kept", async () => {
    const { key, history: one } = await loadCaseRuns(await loadRunIndex(dir), 'stepped')
    expect(key).toBe('@ttapi/x/s/stepped')
    // Reference: the history holds DAYS x 3 records; only the case's DAYS are read.
    expect(one.recordCount).toBe(DAYS)
    expect(one.runs).toHaveLength(DAYS)
    expect(one.runs.flatMap((r) => r.records.map((x) => x.record.case))).toEqual(Array(DAYS).fill('stepped'))
    expect(one.badLines.map((b) => `${b.file}:${b.line}`)).toEqual(['2026-01-08_main.ndjson:4'])
  })

  it('`changepoints CASE` and `history CASE` print what the whole history gives for that case', async () => {
    const full = await loadHistory(dir)
    // The reference: the change points of the case's series over every record (the code before).
    const series = caseSeries(full).filter((s) => caseKey(s) === '@ttapi/x/s/stepped')
    expect(series).toHaveLength(1)
    const expected = series[0]!.changePoints.map((cp) => full.runs[series[0]!.run[cp.index]!]!.id)
    expect(expected.length).toBeGreaterThan(0)
    const cp = capture(dir)
    expect(await main(['changepoints', 'stepped', '--history', dir, '--format', 'json'], cp.io)).toBe(0)
    const printed = JSON.parse(cp.out.join('')) as { change_points: { first_run_after: { id: string } }[] }
    expect(printed.change_points.map((c) => c.first_run_after.id)).toEqual(expected)
    expect(printed.change_points[0]!.first_run_after.id).toBe('run-150')
    const h = capture(dir)
    expect(await main(['history', 's/stepped', '--history', dir, '--format', 'json'], h.io)).toBe(0)
    expect(JSON.parse(h.out.join(''))).toEqual(JSON.parse(JSON.stringify(caseHistory(full, 's/stepped'))))
  })

  it('an unknown or ambiguous case is the same one-line error as before', async () => {
    const err: string[] = []
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s), cwd: dir, color: false }
    expect(await main(['changepoints', 'stepd', '--history', dir], io)).toBe(2)
    expect(err.join('')).toBe('report: no case "stepd" in the history; did you mean stepped? (3 cases)\n')
  })
})
