import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { git, installWorktree, poolRuns, resolveCommit, runRound, sideRuns } from './ab-compare.ts'
import type { Side } from './ab-compare.ts'
import { compareRuns } from './compare-runs.ts'
import { ReportError } from './errors.ts'
import { createRandom } from './_random.ts'
import { caseKey } from './load-history.ts'
import type { ReportConfig, Run } from './types.ts'

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  repo: string
  /** The ref measured against itself. @default 'HEAD' */
  ref?: string
  /** Harness `--filter`. @default 'harness' (the harness's own fast suite) */
  filter?: string
  /** `case:factor` slowdown injected to measure power. @default 'cpu_fixed:1.15' */
  inject?: string
  /** Rounds recorded per kind (plain and injected); comparisons use half of them per side. @default 8 */
  rounds?: number
  /** Random A/A and A/B splits of the recorded rounds to judge. @default 40 */
  splits?: number
  config: ReportConfig
  /** Skip `pnpm install` in the worktree. @default false */
  skipInstall?: boolean
  log?: (line: string) => void
  /** Folder the worktree is created in (removed afterwards). @default os.tmpdir() */
  tmpDir?: string
}

/** What calibration measured on this machine. */
export interface CalibrateResult {
  commit: string
  /** Rounds per side in each judged comparison. */
  roundsPerSide: number
  /** Share of case judgements that said `regressed` when nothing changed (A/A). */
  falseAlarmRate: number
  /** Share of comparisons in which the injected slowdown was judged `regressed`. */
  power: number
  /** Judgements behind each rate. */
  aaJudgements: number
  abJudgements: number
  /** How the injected case was judged across the A/B splits (verdict → count): why power is what it is. */
  abVerdicts: Record<string, number>
  injectedCase: string
  factor: number
}

function pick<T>(xs: T[], k: number, rnd: () => number): [T[], T[]] {
  const a = xs.slice()
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return [a.slice(0, k), a.slice(k, 2 * k)]
}

/**
 * Measures the gate on this machine: records `rounds` plain rounds and `rounds` rounds with a known
 * slowdown injected (`BENCH_INJECT`), interleaved, then judges many random splits: plain vs plain gives
 * the false-alarm rate, plain vs injected the detection power, at `rounds / 2` rounds per side.
 */
export async function calibrate(o: CalibrateOptions): Promise<CalibrateResult> {
  const log = o.log ?? (() => {})
  const rounds = o.rounds ?? 8
  const splits = o.splits ?? 40
  const inject = o.inject ?? 'cpu_fixed:1.15'
  const m = /^([a-z0-9_/]+):(\d+(?:\.\d+)?)$/.exec(inject)
  if (!m)
    throw new ReportError(
      'REPORT_USAGE',
      `report: expected --inject to look like case:1.15, got ${JSON.stringify(inject)}`,
    )
  const injectedCase = m[1]!
  const factor = Number(m[2])
  if (!Number.isInteger(rounds) || rounds < 4 || rounds % 2)
    throw new ReportError('REPORT_USAGE', `report: expected --rounds to be an even integer from 4 up, got ${rounds}`)
  const commit = resolveCommit(o.repo, o.ref ?? 'HEAD')
  const tmp = mkdtempSync(join(o.tmpDir ?? tmpdir(), 'ttapi-cal-'))
  const dir = join(tmp, 'tree')
  try {
    git(o.repo, ['worktree', 'add', '--detach', dir, commit])
    if (!o.skipInstall) installWorktree(dir, 'the calibration worktree')
    const plain: Side = { name: 'base', dir, env: {} }
    const slowed: Side = { name: 'head', dir, env: { BENCH_INJECT: inject } }
    for (let i = 0; i < rounds; i++) {
      for (const s of i % 2 === 0 ? [plain, slowed] : [slowed, plain])
        runRound(s, `cal-${s === plain ? 'plain' : 'inject'}-r${i + 1}`, o.filter ?? 'harness', log)
    }
    const plainRuns = await sideRuns(plain, 'cal-plain')
    const injectedRuns = await sideRuns(slowed, 'cal-inject')
    const half = rounds / 2
    if (plainRuns.length < rounds || injectedRuns.length < rounds)
      throw new ReportError(
        'REPORT_AB',
        `report: calibration recorded ${plainRuns.length} plain and ${injectedRuns.length} injected rounds of ${rounds}; see the harness output above`,
      )
    const rnd = createRandom(o.config.seed)
    let aaJudgements = 0
    let falseAlarms = 0
    let abJudgements = 0
    let detected = 0
    const abVerdicts: Record<string, number> = {}
    for (let s = 0; s < splits; s++) {
      const [a, b] = pick<Run>(plainRuns, half, rnd)
      const aa = compareRuns(poolRuns(a), poolRuns(b), { config: { ...o.config, seed: o.config.seed + s } })
      for (const c of aa.cases) {
        if (c.status === 'added' || c.status === 'removed') continue
        aaJudgements++
        if (c.status === 'regressed') falseAlarms++
      }
      const [p] = pick<Run>(plainRuns, half, rnd)
      const [q] = pick<Run>(injectedRuns, half, rnd)
      const ab = compareRuns(poolRuns(p), poolRuns(q), { config: { ...o.config, seed: o.config.seed + s } })
      const row = ab.cases.find(
        (c) => c.case === injectedCase || `${c.suite}/${c.case}` === injectedCase || caseKey(c) === injectedCase,
      )
      if (!row)
        throw new ReportError(
          'REPORT_AB',
          `report: injected case ${JSON.stringify(injectedCase)} was not measured (filter ${o.filter ?? 'harness'})`,
        )
      abJudgements++
      abVerdicts[row.status] = (abVerdicts[row.status] ?? 0) + 1
      if (row.status === 'regressed') detected++
    }
    return {
      commit,
      roundsPerSide: half,
      falseAlarmRate: aaJudgements ? falseAlarms / aaJudgements : 0,
      power: abJudgements ? detected / abJudgements : 0,
      aaJudgements,
      abJudgements,
      abVerdicts,
      injectedCase,
      factor,
    }
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: o.repo })
    rmSync(tmp, { recursive: true, force: true })
  }
}
