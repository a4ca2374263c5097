// Issue 15's proof on generated histories: only comparable runs are judged by default (same
// machine, same configuration), partial runs say "not run", and processes are the unit of evidence.
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../src/compare-runs.ts'
import { loadHistory } from '../src/load-history.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import type { SyntheticCase, SyntheticRun } from '../src/_synthetic.ts'
import { selectRuns } from '../src/select-runs.ts'
import { runReport, tempDir, writeLines } from './_runs.ts'
import type { CliResult } from './_runs.ts'

const cli = (args: string[]): Promise<CliResult> => runReport(args, process.cwd())

// Per-process noise: each process draws its own level (lognormal, 3% between processes), then 40
// samples around it (10% within). Two processes a case unless a test says otherwise.
function samples(
  random: () => number,
  factor: number,
  processes = 2,
  median = 10,
): Pick<SyntheticCase, 'samples' | 'processes'> {
  const out: number[] = []
  for (let p = 0; p < processes; p++) {
    const level = median * factor * Math.exp(0.03 * (random() * 2 - 1))
    out.push(...syntheticSamples(random, 40, { ...REALISTIC_NOISE, medianMs: level }))
  }
  return { samples: out, processes: Array.from({ length: processes }, () => 40) }
}

const CASES = [
  { package: '@ttapi/cache', suite: 'cache', case: 'get' },
  { package: '@ttapi/analysis', suite: 'analysis', case: 'bundle' },
]

function run(
  dir: string,
  r: SyntheticRun,
  factor: (name: string) => number,
  random: () => number,
  cases = CASES,
): void {
  writeLines(
    dir,
    `${r.startedAt.slice(0, 10)}_${r.label}.ndjson`,
    cases.map((c) =>
      syntheticRecord(
        { ...r, packages: r.packages ?? [...new Set(CASES.map((x) => x.package))] },
        { ...c, ...samples(random, factor(c.case)) },
      ),
    ),
  )
}

const at = (day: number, hour = 10): string =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`

describe('default baselines: the same machine and configuration only', () => {
  it('judges against the same machine’s main run when the newest main run is from another machine', async () => {
    const dir = tempDir()
    const random = createRandom(11)
    const one = (): number => 1
    run(dir, { id: 'epyc-main', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, one, random)
    // Newer main runs: another machine (2x slower hardware) and another profile on this machine.
    run(dir, { id: 'xeon-main', label: 'main', startedAt: at(21), commit: 'a2', machine: 'xeon' }, () => 2, random)
    run(
      dir,
      { id: 'epyc-full', label: 'main', startedAt: at(22), commit: 'a3', machine: 'epyc', profile: 'full' },
      () => 20,
      random,
    )
    run(dir, { id: 'epyc-pr', label: 'pr', startedAt: at(23), commit: 'b1', machine: 'epyc' }, one, random)
    const history = await loadHistory(dir)
    const sel = selectRuns(history)
    expect(sel.current.id).toBe('epyc-pr')
    expect(sel.baseline?.id).toBe('epyc-main')
    expect([...sel.baselines.values()].map((b) => b.run.id)).toEqual(['epyc-main', 'epyc-main'])
    const c = compareRuns(sel.baseline, sel.current, { baselines: sel.baselines })
    expect(c.counts.regressed).toBe(0)
    // Judged (not "not judged"), and never regressed: with 2 processes a side the interval may stay wide.
    expect(c.cases.every((x) => x.status === 'unchanged' || x.status === 'inconclusive')).toBe(true)
    const r = await cli(['--history', dir, '--fail-on-regression'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('baseline: main @a1')
    expect(r.stdout).not.toContain('❌')
  })

  it('says there is no comparable baseline for a full run after quick runs, and exits 0 under --fail-on-regression', async () => {
    const dir = tempDir()
    const random = createRandom(12)
    run(dir, { id: 'q1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, () => 1, random)
    run(dir, { id: 'x1', label: 'main', startedAt: at(21), commit: 'a2', machine: 'xeon' }, () => 1, random)
    run(
      dir,
      { id: 'f1', label: 'main', startedAt: at(22), commit: 'a3', machine: 'epyc', profile: 'full' },
      () => 20,
      random,
    )
    const r = await cli(['--history', dir, '--fail-on-regression'])
    expect(r.code).toBe(0)
    // The terminal wraps long lines with an indent: join them back.
    const line = r.stdout
      .replace(/\n {2,}/g, ' ')
      .split('\n')
      .find((l) => l.includes('No comparable baseline'))
    expect(line).toBeDefined()
    expect(line).toContain('1 main run(s) from other machines (xeon ×1, newest 2026-11-21)')
    expect(line).toContain('1 main run(s) on this machine with other settings or cases')
    expect(line).toContain('pnpm bench -- --save-baseline main')
    expect(r.stdout).not.toMatch(/regressed|❌/)
  })

  it('calls a real +25% shift on the same machine regressed and exits 1', async () => {
    const dir = tempDir()
    const random = createRandom(13)
    run(dir, { id: 'm1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, () => 1, random)
    run(
      dir,
      { id: 'p1', label: 'pr', startedAt: at(21), commit: 'b1', machine: 'epyc' },
      (n) => (n === 'bundle' ? 1.25 : 1),
      random,
    )
    const r = await cli(['--history', dir, '--fail-on-regression'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^ {2}@ttapi\/analysis\n {4}REGRESSED .* bundle /m)
    // The unchanged case is never called regressed (with 2 processes a side its p95 may stay inconclusive).
    expect(r.stdout).toMatch(/^Regressed \(1\)$/m)
    expect(r.stdout).toMatch(
      /Not listed: 1 unchanged|^Inconclusive \(1\)\n {2}@ttapi\/cache\n {4}inconclusive .* get /m,
    )
  })

  it('shows an explicit cross-machine baseline as ratios, not verdicts, unless --cross-machine', async () => {
    const dir = tempDir()
    const random = createRandom(14)
    run(dir, { id: 'x1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'xeon' }, () => 1, random)
    run(dir, { id: 'e1', label: 'pr', startedAt: at(21), commit: 'b1', machine: 'epyc' }, () => 1.5, random)
    const r = await cli(['--history', dir, '--baseline', 'x1', '--fail-on-regression'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Not judged: other machine \(2\)$/m)
    expect(r.stdout).toMatch(/\+5\d\.\d%/)
    expect(r.stdout).not.toContain('❌')
    const judged = await cli(['--history', dir, '--baseline', 'x1', '--cross-machine', '--fail-on-regression'])
    expect(judged.code).toBe(1)
  })

  it('withholds verdicts of cases measured on a busy machine unless --judge-busy', async () => {
    const dir = tempDir()
    const random = createRandom(15)
    run(dir, { id: 'm1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, () => 1, random)
    writeLines(dir, '2026-11-21_pr.ndjson', [
      syntheticRecord(
        { id: 'p1', label: 'pr', startedAt: at(21), commit: 'b1', machine: 'epyc' },
        { ...CASES[0]!, ...samples(random, 1.5), otherCpuCores: 0.9 },
      ),
    ])
    const r = await cli(['--history', dir, '--fail-on-regression'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Not judged: busy \(1\)$/m)
    expect(r.stdout).toContain('Busy machine: other processes took up to 0.90 cores')
    expect((await cli(['--history', dir, '--fail-on-regression', '--judge-busy'])).code).toBe(1)
  })
})

describe('partial runs', () => {
  it('lists cases outside a filtered run as not run, and a selected case that vanished as removed', async () => {
    const dir = tempDir()
    const random = createRandom(16)
    const three = [...CASES, { package: '@ttapi/cache', suite: 'cache', case: 'put' }]
    run(dir, { id: 'm1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, () => 1, random, three)
    // Filtered to the cache suite: `bundle` was not selected; `put` was, and is gone.
    run(
      dir,
      {
        id: 'p1',
        label: 'pr',
        startedAt: at(21),
        commit: 'b1',
        machine: 'epyc',
        filter: '^cache/',
        packages: ['@ttapi/analysis', '@ttapi/cache'],
      },
      () => 1,
      random,
      [CASES[0]!],
    )
    const history = await loadHistory(dir)
    const sel = selectRuns(history)
    const c = compareRuns(sel.baseline, sel.current, { baselines: sel.baselines })
    const status = Object.fromEntries(c.cases.map((x) => [x.case, x.status]))
    expect(status).toEqual({
      get: expect.stringMatching(/^(unchanged|inconclusive)$/) as string,
      bundle: 'not_run',
      put: 'removed',
    })
  })

  it('never calls the cases a v1 run did not hold removed', async () => {
    const dir = tempDir()
    const random = createRandom(17)
    run(dir, { id: 'm1', label: 'main', startedAt: at(20), commit: 'a1', machine: 'epyc' }, () => 1, random)
    const v1 = syntheticRecord(
      { id: 'p1', label: 'pr', startedAt: at(21), commit: 'b1', machine: 'epyc' },
      { ...CASES[0]!, samples: [1, 2, 3] },
    ) as unknown as Record<string, unknown>
    const { machine: _m, processes: _p, host: _h, ...rest } = v1
    const run1 = { ...(rest.run as Record<string, unknown>) }
    delete run1['selection']
    writeLines(dir, '2026-11-21_pr.ndjson', [JSON.stringify({ ...rest, schema: 'ttapi.bench/v1', run: run1 })])
    const history = await loadHistory(dir)
    expect(history.badLines).toEqual([])
    const sel = selectRuns(history, { baseline: 'm1' })
    const c = compareRuns(sel.baseline, sel.current, { baselines: sel.baselines, crossMachine: true })
    expect(c.cases.find((x) => x.case === 'bundle')!.status).toBe('not_run')
  })
})

describe('processes as the unit', () => {
  it('does not call one slow process a regression when the other process agrees with the baseline', () => {
    // standard_analysis_1t as seen on the VM: processes at 27 and 74 ms against a baseline of 27 and 28 ms.
    const random = createRandom(18)
    const proc = (median: number): number[] =>
      syntheticSamples(random, 36, { ...REALISTIC_NOISE, sigma: 0.01, medianMs: median })
    const base = { samples: [...proc(27), ...proc(28)], processes: [36, 36] }
    const cur = { samples: [...proc(27), ...proc(74)], processes: [36, 36] }
    const c = CASES[1]!
    const b = syntheticRecord({ id: 'b', label: 'main', startedAt: at(20), commit: 'a' }, { ...c, ...base })
    const k = syntheticRecord({ id: 'c', label: 'pr', startedAt: at(21), commit: 'b' }, { ...c, ...cur })
    const mk = (r: typeof b): Parameters<typeof compareRuns>[1] => ({
      id: r.run.id,
      label: r.run.label,
      startedAt: r.run.started_at,
      date: r.run.started_at.slice(0, 10),
      commit: r.run.git.commit,
      branch: null,
      dirty: false,
      fingerprint: r.fingerprint,
      fingerprints: [r.fingerprint],
      machine: r.machine,
      selections: [r.run.selection],
      selectionKnown: true,
      env: r.env,
      config: r.config,
      files: ['x.ndjson'],
      records: [{ record: r, file: 'x.ndjson', line: 1 }],
    })
    const row = compareRuns(mk(b), mk(k)).cases[0]!
    expect(row.status).not.toBe('regressed')
    expect(row.unstable).toEqual({ side: 'current', spread: expect.closeTo(74 / 27, 1) as number, processes: 2 })
    expect(row.withinProcessOnly).toBe(false)
    // The same samples as one process a side: the within-process interval is tight and calls it regressed.
    const flat = (r: typeof b): typeof b => ({ ...r, processes: [{ ...r.processes[0]!, n: r.samples_ms.length }] })
    const within = compareRuns(mk(flat(b)), mk(flat(k))).cases[0]!
    expect(within.withinProcessOnly).toBe(true)
    expect(within.status).toBe('regressed')
    // A run alone (no baseline) still shows its processes disagree.
    const alone = compareRuns(null, mk(k)).cases[0]!
    expect(alone.status).toBe('no_baseline')
    expect(alone.unstable).toMatchObject({ side: 'current', processes: 2 })
  })
})
