// `report list`, `history`, `changepoints` and every `--help` fit the terminal they print to (issue 19);
// a machine change in the history is not a change point.
import type { BenchRecord } from '@ttapi/bench'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import { displayWidth } from '../src/_text-width.ts'
import { tempDir, writeLines } from './_runs.ts'

async function cli(argv: string[], columns?: number): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    cwd: process.cwd(),
    color: false,
    columns,
  })
  return { code, out: out.join(''), err: err.join('') }
}

const widest = (text: string): number => Math.max(...text.split('\n').map(displayWidth))

/**
 * 40 runs of two cases with long labels and file names: `machine_switch` keeps its speed on each machine
 * but is 44% slower on the second (runs 20-39, another machine); `real_step` gets 30% slower at run 30,
 * on the second machine.
 */
function history(): string {
  const dir = tempDir()
  const random = createRandom(1919)
  const files = new Map<string, BenchRecord[]>()
  for (let i = 0; i < 40; i++) {
    const machine = i < 20 ? 'intel-xeon-ci-runner' : 'amd-epyc-ci-runner'
    const run = {
      id: `run-${String(i).padStart(2, '0')}-with-a-long-run-identifier`,
      label: i % 2 === 0 ? 'main' : 'feature-branch-with-a-long-descriptive-name',
      startedAt: new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(),
      commit: (0x1000000 + i * 7919).toString(16).padStart(40, '0'),
      machine,
    }
    const samples = (median: number): number[] =>
      syntheticSamples(random, 60, { ...REALISTIC_NOISE, sigma: 0.02, medianMs: median })
    const file = `2026-11-01_${run.label}.ndjson`
    files.set(file, [
      ...(files.get(file) ?? []),
      syntheticRecord(run, {
        package: '@ttapi/columnar-io',
        suite: 'columnar_io',
        case: 'machine_switch',
        samples: samples(i < 20 ? 10 : 14.4),
      }),
      syntheticRecord(run, {
        package: '@ttapi/columnar-io',
        suite: 'columnar_io',
        case: 'real_step',
        samples: samples(i < 30 ? 5 : 6.5),
      }),
    ])
  }
  for (const [file, records] of files) writeLines(dir, file, records)
  return dir
}

describe('terminal subcommands', () => {
  const dir = history()

  it.each([80, 100, 160])('list, machines, history and changepoints fit %i columns', async (columns) => {
    for (const args of [['list'], ['machines'], ['history', 'machine_switch'], ['changepoints']]) {
      const r = await cli([...args, '--history', dir], columns)
      expect(r.code, args.join(' ')).toBe(0)
      expect(widest(r.out), `${args.join(' ')} at ${columns}`).toBeLessThanOrEqual(columns)
    }
  })

  it('--wide keeps every column', async () => {
    const list = await cli(['list', '--history', dir, '--wide'], 80)
    expect(list.out).toMatch(/^date +time +label +commit +machine +profile +cases +selection +run id +files$/m)
    expect(widest(list.out)).toBeGreaterThan(80)
    const narrow = await cli(['list', '--history', dir], 80)
    expect(narrow.out).toMatch(/left out to fit 80\s+columns;\s+--wide\s+shows\s+them/)
  })

  it('every --help fits 100 columns', async () => {
    for (const command of [
      [],
      ['list'],
      ['machines'],
      ['history'],
      ['changepoints'],
      ['compare'],
      ['calibrate'],
      ['github'],
      ['affected'],
      ['gate-comment'],
      ['runs-pr'],
      ['runner-machine'],
      ['compact'],
    ]) {
      const r = await cli([...command, '--help'])
      expect(r.code).toBe(0)
      expect(widest(r.out), `report ${command.join(' ')} --help`).toBeLessThanOrEqual(100)
    }
  })

  it('a machine change is not a change point; a step on one machine is, with its commit range', async () => {
    const r = await cli(['changepoints', '--history', dir, '--format', 'json'])
    expect(r.code).toBe(0)
    const found = (
      JSON.parse(r.out) as { change_points: Array<{ case: string; machine: string; commit_range: string }> }
    ).change_points
    // Reference: the history above, built with one 30% step at run 30 and a machine change at run 20.
    expect(found.map((c) => c.case)).toEqual(['@ttapi/columnar-io/columnar_io/real_step'])
    expect(found[0]!.machine).toBe('amd-epyc-ci-runner')
    const before = (0x1000000 + 29 * 7919).toString(16).padStart(40, '0').slice(0, 12)
    const after = (0x1000000 + 30 * 7919).toString(16).padStart(40, '0').slice(0, 12)
    expect(found[0]!.commit_range).toBe(`${before}..${after}`)
  })
})
