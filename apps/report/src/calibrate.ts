import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeStats, injectFactor, parseInject } from '@ttapi/bench'
import type { InjectRule } from '@ttapi/bench'
import { git, installWorktree, resolveCommit, runRound, sideRuns } from './ab-compare.ts'
import type { Side } from './ab-compare.ts'
import { compareRuns } from './compare-runs.ts'
import { ReportError } from './errors.ts'
import { loadHistory } from './load-history.ts'
import type { CaseStatus, ReportConfig, Run } from './types.ts'

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  repo: string
  /** The ref measured against itself. @default 'HEAD' */
  ref?: string
  /** Harness `--filter`. @default 'harness' (the harness's own fast suite) */
  filter?: string
  /** `BENCH_INJECT` of the slowed runs: `case:factor`, `suite/case:factor` or `*:factor` (every case). @default 'cpu_fixed:1.15' */
  inject?: string
  /** Separate harness invocations recorded per kind (plain and injected), interleaved. @default 4 */
  rounds?: number
  /** Fresh processes per case in each invocation; the gate is judged at 1 to this many. @default 3 */
  processes?: number
  config: ReportConfig
  /** Judge cases measured while other processes loaded the machine. @default false */
  judgeBusy?: boolean
  /** Skip `pnpm install` in the worktree. @default false */
  skipInstall?: boolean
  log?: (line: string) => void
  /** Folder the worktree is created in (removed afterwards). @default os.tmpdir() */
  tmpDir?: string
  /** Copy the recorded runs (`*.ndjson`) here before the worktree is removed, to judge them again with `from`. */
  keep?: string
  /** Judge the runs kept in this folder by an earlier calibration instead of recording new ones. */
  from?: string
}

/** How the gate judged comparisons of whole runs with `processes` processes a case. */
export interface CalibrationLevel {
  /** Processes per case on each side. */
  processes: number
  /** Plain run vs plain run (nothing changed): case judgements by status. */
  aa: Partial<Record<CaseStatus, number>>
  /** Judged A/A case comparisons (regressed, improved, unchanged, inconclusive). */
  aaJudged: number
  /** Share of judged A/A comparisons that said `regressed` (false alarms). */
  falseAlarmRate: number
  /** Share of judged A/A comparisons left `inconclusive`. */
  inconclusiveRate: number
  /** Plain run vs slowed run: the slowed cases' judgements by status. */
  ab: Partial<Record<CaseStatus, number>>
  /** Judged A/B comparisons of slowed cases. */
  abJudged: number
  /** Share of judged A/B comparisons of slowed cases that said `regressed`. */
  power: number
}

/** What calibration measured on this machine. */
export interface CalibrateResult {
  commit: string
  /** Invocations recorded per kind. */
  rounds: number
  /** Cases each invocation measured. */
  cases: number
  /** The `BENCH_INJECT` of the slowed runs, and its largest factor. */
  inject: string
  factor: number
  /** Median wall time of one invocation with all its processes, seconds. */
  secondsPerRound: number
  /** One entry per process count, 1 up to `processes`. */
  levels: CalibrationLevel[]
}

/** The run with every record cut to its first `k` processes (the samples they hold). */
function firstProcesses(run: Run, k: number): Run {
  return {
    ...run,
    records: run.records.map((hr) => {
      const r = hr.record
      const processes = r.processes.slice(0, k)
      const samples = r.samples_ms.slice(
        0,
        processes.reduce((a, p) => a + p.n, 0),
      )
      return { ...hr, record: { ...r, processes, samples_ms: samples, stats: computeStats(samples) } }
    }),
  }
}

const JUDGED: CaseStatus[] = ['regressed', 'improved', 'unchanged', 'inconclusive']

/**
 * Measures the gate on this machine as it is used: one run against another. Records `rounds`
 * plain invocations of the harness and `rounds` with a known slowdown injected (`BENCH_INJECT`),
 * interleaved, each measuring every case in `processes` fresh processes. Then, for k = 1 to
 * `processes`, judges every pair of plain runs (the false-alarm and inconclusive rates: nothing
 * changed) and every plain run against every slowed run (the detection power), using the first k
 * processes of each record: what the gate would have said had the runs used `--processes k`.
 */
export async function calibrate(o: CalibrateOptions): Promise<CalibrateResult> {
  const log = o.log ?? (() => {})
  const rounds = o.rounds ?? 4
  const processes = o.processes ?? 3
  const inject = o.inject ?? 'cpu_fixed:1.15'
  let rules: InjectRule[]
  try {
    rules = parseInject(inject)
  } catch {
    rules = []
  }
  if (rules.length === 0)
    throw new ReportError(
      'REPORT_USAGE',
      `report: expected --inject to look like case:1.15, suite/case:1.15 or *:1.15, got ${JSON.stringify(inject)}`,
    )
  if (!Number.isInteger(rounds) || rounds < 2)
    throw new ReportError('REPORT_USAGE', `report: expected --rounds to be an integer from 2 up, got ${rounds}`)
  if (!Number.isInteger(processes) || processes < 1 || processes > 10)
    throw new ReportError(
      'REPORT_USAGE',
      `report: expected --processes to be an integer from 1 to 10, got ${processes}`,
    )
  if (o.from !== undefined) {
    const history = await loadHistory(o.from)
    const runs = (prefix: string): Run[] => history.runs.filter((r) => r.label.startsWith(prefix))
    return judgeCalibration(o, rules, inject, runs('cal-plain'), runs('cal-inject'), history.runs[0]?.commit ?? '', [])
  }
  const commit = resolveCommit(o.repo, o.ref ?? 'HEAD')
  const tmp = mkdtempSync(join(o.tmpDir ?? tmpdir(), 'ttapi-cal-'))
  const dir = join(tmp, 'tree')
  try {
    git(o.repo, ['worktree', 'add', '--detach', dir, commit])
    if (!o.skipInstall) installWorktree(dir, 'the calibration worktree')
    const plain: Side = { name: 'base', dir, env: {} }
    const slowed: Side = { name: 'head', dir, env: { BENCH_INJECT: inject } }
    const seconds: number[] = []
    for (let i = 0; i < rounds; i++) {
      for (const s of i % 2 === 0 ? [plain, slowed] : [slowed, plain]) {
        const t0 = Date.now()
        runRound(s, `cal-${s === plain ? 'plain' : 'inject'}-r${i + 1}`, o.filter ?? 'harness', log, processes)
        seconds.push((Date.now() - t0) / 1000)
      }
    }
    if (o.keep !== undefined) {
      mkdirSync(o.keep, { recursive: true })
      for (const f of readdirSync(join(dir, 'benchmarks')).filter((x) => x.endsWith('.ndjson')))
        copyFileSync(join(dir, 'benchmarks', f), join(o.keep, f))
    }
    const plainRuns = await sideRuns(plain, 'cal-plain')
    const injectedRuns = await sideRuns(slowed, 'cal-inject')
    if (plainRuns.length < rounds || injectedRuns.length < rounds)
      throw new ReportError(
        'REPORT_AB',
        `report: calibration recorded ${plainRuns.length} plain and ${injectedRuns.length} injected runs of ${rounds}; see the harness output above`,
      )
    return judgeCalibration(o, rules, inject, plainRuns, injectedRuns, commit, seconds)
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: o.repo })
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** Judges recorded plain and slowed runs at 1 to the largest process count they hold. */
function judgeCalibration(
  o: CalibrateOptions,
  rules: InjectRule[],
  inject: string,
  plainRuns: Run[],
  injectedRuns: Run[],
  commit: string,
  seconds: number[],
): CalibrateResult {
  const processes = Math.min(
    ...[...plainRuns, ...injectedRuns].flatMap((r) => r.records.map((hr) => hr.record.processes.length)),
  )
  const slowedCase = (suite: string, c: string): boolean => injectFactor(rules, suite, c) > 1
  if (!plainRuns[0]!.records.some((hr) => slowedCase(hr.record.suite, hr.record.case)))
    throw new ReportError(
      'REPORT_AB',
      `report: --inject ${inject} slows no measured case (filter ${o.filter ?? 'harness'})`,
    )
  const levels: CalibrationLevel[] = []
  for (let k = 1; k <= processes; k++) {
    const pr = plainRuns.map((r) => firstProcesses(r, k))
    const ir = injectedRuns.map((r) => firstProcesses(r, k))
    const aa: Partial<Record<CaseStatus, number>> = {}
    const ab: Partial<Record<CaseStatus, number>> = {}
    const options = { config: o.config, judgeBusy: o.judgeBusy }
    for (let i = 0; i < pr.length; i++)
      for (let j = i + 1; j < pr.length; j++)
        for (const c of compareRuns(pr[i]!, pr[j]!, options).cases) aa[c.status] = (aa[c.status] ?? 0) + 1
    for (const p of pr)
      for (const q of ir)
        for (const c of compareRuns(p, q, options).cases)
          if (slowedCase(c.suite, c.case)) ab[c.status] = (ab[c.status] ?? 0) + 1
    const sum = (x: Partial<Record<CaseStatus, number>>): number => JUDGED.reduce((a, s) => a + (x[s] ?? 0), 0)
    const aaJudged = sum(aa)
    const abJudged = sum(ab)
    levels.push({
      processes: k,
      aa,
      aaJudged,
      falseAlarmRate: aaJudged ? (aa.regressed ?? 0) / aaJudged : 0,
      inconclusiveRate: aaJudged ? (aa.inconclusive ?? 0) / aaJudged : 0,
      ab,
      abJudged,
      power: abJudged ? (ab.regressed ?? 0) / abJudged : 0,
    })
  }
  const sorted = [...seconds].sort((a, b) => a - b)
  return {
    commit,
    rounds: plainRuns.length,
    cases: plainRuns[0]!.records.length,
    inject,
    factor: Math.max(...rules.map((r) => r.factor)),
    secondsPerRound: sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!,
    levels,
  }
}
