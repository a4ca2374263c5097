import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { git, installWorktree, poolRuns, resolveCommit, runRound, sideRuns } from './ab-compare.ts'
import type { Side } from './ab-compare.ts'
import { compareRuns } from './compare-runs.ts'
import { ReportError, UsageError } from './errors.ts'
import type { CaseComparison, CaseStatus, ReportConfig, Run } from './types.ts'

/** Options of {@link bisect}. */
export interface BisectOptions {
  /** Repository (its .git holds the worktrees and the bisect state). */
  repo: string
  /** The case, `suite/case`. */
  case: string
  /** A commit where the case is fast. */
  good: string
  /** A later commit where it is slow. */
  bad: string
  /** Interleaved rounds per side at each step. @default config.compareRounds */
  rounds?: number
  /** Rounds per side an inconclusive step may grow to before it is skipped. @default 2 × rounds */
  maxRounds?: number
  /** Report settings: thresholds, alpha, bootstrap (the verdict rules of `report compare`). */
  config: ReportConfig
  /** Judge rounds measured while other processes loaded the machine. @default false */
  judgeBusy?: boolean
  /** Skip `pnpm install` in the worktrees. @default false */
  skipInstall?: boolean
  /** Folder the worktrees are created in (removed afterwards). @default os.tmpdir() */
  tmpDir?: string
  /** Progress lines. @default no output */
  log?: (line: string) => void
  /** Aborting stops after the harness run in progress; the worktrees and bisect state are removed. */
  signal?: AbortSignal
}

/** One judged commit: the candidate against the good ref. */
export interface BisectStep {
  /** Full commit id. */
  commit: string
  /** Its subject line. */
  subject: string
  /** The case's status against the good ref over all the step's rounds. */
  status: CaseStatus | 'missing'
  /** What git bisect was told (`null` for the first check of the bad ref). */
  mark: 'good' | 'bad' | 'skip' | null
  /** Interleaved rounds per side. */
  rounds: number
  /** The gated metric's ratio and its 95% interval (null without both sides). */
  ratio: { metric: string; ratio: number; low: number; high: number } | null
  /** The verdict's reason. */
  reason: string
}

/** What {@link bisect} found. */
export interface BisectResult {
  /** Full ids of the good and bad refs. */
  good: string
  bad: string
  /** `found`: one first bad commit; `ambiguous`: skipped commits leave several; `no_regression`: the bad ref is not slower; `inconclusive`: the bad ref could not be told apart from the good one. */
  outcome: 'found' | 'ambiguous' | 'no_regression' | 'inconclusive'
  /** The first bad commit when `found`. */
  firstBad: string | null
  /** The commits it could be when `ambiguous`. */
  candidates: string[]
  /** Every judged commit, in order; the first is the bad ref itself. */
  steps: BisectStep[]
}

/** Thrown when the signal aborted the bisect (after it restored everything). */
export class BisectAborted extends ReportError {
  constructor(message: string) {
    super('REPORT_BISECT', message)
    this.name = 'BisectAborted'
  }
}

/**
 * Finds the commit that slowed a case: first the bad ref is judged against the good one (no regression
 * there: nothing is blamed, no bisect); then `git bisect` walks the range in a worktree of its own,
 * each step an interleaved A/B (good, candidate, candidate, good, …; fresh processes) judged by the
 * verdict rules of `report compare`: `regressed` marks bad, `unchanged` or `improved` good, an
 * `inconclusive` step gets more rounds up to `maxRounds`, then `skip` (so does a commit without the
 * case). The user's checkout is never touched; the worktrees and the bisect state are removed whatever
 * happens (error or abort).
 */
export async function bisect(o: BisectOptions): Promise<BisectResult> {
  const log = o.log ?? (() => {})
  const { rounds, maxRounds, good, bad } = checkOptions(o)
  const checkAbort = (): void => {
    if (o.signal?.aborted === true)
      throw new BisectAborted('report bisect: interrupted; the worktrees and the bisect state were removed')
  }
  checkAbort()
  const tmp = mkdtempSync(join(o.tmpDir ?? tmpdir(), 'ttapi-bisect-'))
  const sides: [Side, Side] = [
    { name: 'base', dir: join(tmp, 'good'), env: {} },
    { name: 'head', dir: join(tmp, 'candidate'), env: {} },
  ]
  const steps: BisectStep[] = []
  const judging: Judging = { o, log, checkAbort, sides, rounds, maxRounds, good, steps }
  const judge = (commit: string, mark: (s: BisectStep) => BisectStep['mark']): Promise<BisectStep> =>
    judgeCommit(judging, commit, mark)
  let bisecting = false

  try {
    git(o.repo, ['worktree', 'add', '--detach', sides[0].dir, good])
    git(o.repo, ['worktree', 'add', '--detach', sides[1].dir, bad])
    if (!o.skipInstall) installWorktree(sides[0].dir, `the good worktree (${good.slice(0, 10)})`)
    const first = await judge(bad, () => null)
    if (first.status !== 'regressed')
      return {
        good,
        bad,
        outcome: first.status === 'inconclusive' || first.status === 'missing' ? 'inconclusive' : 'no_regression',
        firstBad: null,
        candidates: [],
        steps,
      }
    bisecting = true
    let out = bisectGit(sides[1].dir, ['start', bad, good])
    for (;;) {
      const found = /^([0-9a-f]{40}) is the first bad commit/m.exec(out)
      if (found) return { good, bad, outcome: 'found', firstBad: found[1]!, candidates: [], steps }
      if (/only 'skip'ped commits left to test/.test(out))
        return {
          good,
          bad,
          outcome: 'ambiguous',
          firstBad: null,
          candidates: [...out.matchAll(/^([0-9a-f]{40})$/gm)].map((m) => m[1]!),
          steps,
        }
      const head = git(sides[1].dir, ['rev-parse', 'HEAD'])
      const step = await judge(head, (s) =>
        s.status === 'regressed' ? 'bad' : s.status === 'unchanged' || s.status === 'improved' ? 'good' : 'skip',
      )
      out = bisectGit(sides[1].dir, [step.mark!])
    }
  } finally {
    // The bisect state lives in the candidate worktree's git dir: reset it, then remove both worktrees.
    if (bisecting) spawnSync('git', ['bisect', 'reset', '--quiet'], { cwd: sides[1].dir })
    for (const s of sides) spawnSync('git', ['worktree', 'remove', '--force', s.dir], { cwd: o.repo })
    spawnSync('git', ['worktree', 'prune'], { cwd: o.repo })
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** The rounds and the two commits of a bisect, its options checked (a usage error names the flag). */
function checkOptions(o: BisectOptions): { rounds: number; maxRounds: number; good: string; bad: string } {
  if (!/^[a-z0-9_]+\/[a-z0-9_]+$/.test(o.case))
    throw new UsageError(`report bisect: expected --case to be SUITE/CASE ([a-z0-9_]+), got ${JSON.stringify(o.case)}`)
  const rounds = o.rounds ?? o.config.compareRounds
  const maxRounds = o.maxRounds ?? 2 * rounds
  if (!Number.isInteger(rounds) || rounds < 2)
    throw new UsageError(`report bisect: expected --rounds to be an integer from 2 up, got ${rounds}`)
  if (!Number.isInteger(maxRounds) || maxRounds < rounds)
    throw new UsageError(
      `report bisect: expected --max-rounds to be an integer from --rounds (${rounds}) up, got ${maxRounds}`,
    )
  const good = resolveCommit(o.repo, o.good)
  const bad = resolveCommit(o.repo, o.bad)
  if (good === bad) throw new UsageError(`report bisect: --good and --bad are the same commit ${good.slice(0, 10)}`)
  if (spawnSync('git', ['merge-base', '--is-ancestor', good, bad], { cwd: o.repo }).status !== 0)
    throw new UsageError(
      `report bisect: --good ${o.good} (${good.slice(0, 10)}) is not an ancestor of --bad ${o.bad} (${bad.slice(0, 10)})`,
    )
  return { rounds, maxRounds, good, bad }
}

/** What judging one commit needs: the options, the two worktrees, the round counts, the steps so far. */
interface Judging {
  o: BisectOptions
  log: (line: string) => void
  checkAbort: () => void
  sides: [Side, Side]
  rounds: number
  maxRounds: number
  good: string
  steps: BisectStep[]
}

/** Interleaved rounds of the good ref and the candidate worktree's HEAD, judged; more rounds while inconclusive. */
async function judgeCommit(
  j: Judging,
  commit: string,
  mark: (s: BisectStep) => BisectStep['mark'],
): Promise<BisectStep> {
  const { o, log, checkAbort, sides, rounds, maxRounds, good, steps } = j
  const filter = `^${o.case}$`
  const n = steps.length + 1
  if (!o.skipInstall) installWorktree(sides[1].dir, `the candidate worktree (${commit.slice(0, 10)})`)
  const prefix = `bisect-s${n}`
  let done = 0
  let row: CaseComparison | undefined
  for (let target = rounds; ; target = maxRounds) {
    for (; done < target; done++) {
      const order = done % 2 === 0 ? sides : [sides[1], sides[0]]
      for (const s of order) {
        runRound(s, `${prefix}-${s.name}-r${done + 1}`, filter, log)
        checkAbort()
      }
    }
    const [g, c] = [await runsOf(sides[0], `${prefix}-base`), await runsOf(sides[1], `${prefix}-head`)]
    if (g.length === 0 || !g.some((r) => r.records.some((x) => `${x.record.suite}/${x.record.case}` === o.case)))
      throw new ReportError(
        'REPORT_BISECT',
        `report bisect: the good ref ${good.slice(0, 10)} has no results for ${o.case} (is the case name right?)`,
      )
    row =
      c.length === 0
        ? undefined
        : compareRuns(poolRuns(g), poolRuns(c), { config: o.config, judgeBusy: o.judgeBusy }).cases.find(
            (x) => `${x.suite}/${x.case}` === o.case,
          )
    if (row?.status !== 'inconclusive' || done >= maxRounds) break
    log(`report bisect: ${commit.slice(0, 10)} inconclusive after ${done} rounds; ${maxRounds - done} more`)
  }
  const step = stepOf(o, commit, row, done)
  step.mark = mark(step)
  steps.push(step)
  log(`report bisect: ${formatStep(step)}`)
  return step
}

/** One judged commit as a step: its status, rounds, and a time metric's interval as the evidence. */
function stepOf(o: BisectOptions, commit: string, row: CaseComparison | undefined, rounds: number): BisectStep {
  // Bisect hunts a slowdown: its evidence is a time metric's interval, never the allocation gate's.
  const timeMetrics = row?.metrics.filter((m) => m.metric !== 'alloc') ?? []
  const metric = timeMetrics.find((m) => m.verdict === row?.status) ?? timeMetrics[0]
  const interval = metric && metric.metric !== 'alloc' && row?.intervals ? row.intervals[metric.metric] : null
  return {
    commit,
    subject: git(o.repo, ['log', '-1', '--format=%s', commit]),
    status: row?.current ? row.status : 'missing',
    mark: null,
    rounds,
    ratio:
      metric && interval
        ? { metric: metric.metric, ratio: interval.ratio, low: interval.low, high: interval.high }
        : null,
    reason: row?.current ? row.reason : `no result for ${o.case} at this commit`,
  }
}

/** A side's runs with the label prefix; none when the harness wrote nothing (no such case at that commit). */
async function runsOf(side: Side, prefix: string): Promise<Run[]> {
  try {
    return await sideRuns(side, prefix)
  } catch (error) {
    if (error instanceof ReportError && error.code === 'REPORT_NO_HISTORY') return []
    throw error
  }
}

/** `git bisect ARGS`: its output; a non-zero exit is an error unless git said where the bisect ended (only skipped commits left exits non-zero). */
function bisectGit(dir: string, args: string[]): string {
  const r = spawnSync('git', ['bisect', ...args], { cwd: dir, encoding: 'utf8' })
  const out = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0 && !/is the first bad commit|only 'skip'ped commits left/.test(out))
    throw new ReportError(
      'REPORT_GIT',
      `report bisect: git bisect ${args.join(' ')} failed: ${out.trim().split('\n')[0]}`,
    )
  return out
}

/** `3f2a1b0c9d regressed (bad): p50 +31.0% (95% CI +24.1% to +38.2%), 4 rounds — subject`. */
export function formatStep(s: BisectStep): string {
  const ratio = s.ratio
    ? `${s.ratio.metric} ${pctOf(s.ratio.ratio)} (95% CI ${pctOf(s.ratio.low)} to ${pctOf(s.ratio.high)})`
    : 'no ratio'
  return `${s.commit.slice(0, 10)} ${s.status}${s.mark ? ` (${s.mark})` : ''}: ${ratio}, ${s.rounds} rounds per side — ${s.subject}`
}

function pctOf(ratio: number): string {
  const change = (ratio - 1) * 100
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)}%`
}
