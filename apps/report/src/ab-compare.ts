import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeStats } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import { compareRuns } from './compare-runs.ts'
import { ReportError } from './errors.ts'
import { caseKey, loadHistory } from './load-history.ts'
import type { Comparison, HistoryRecord, ReportConfig, Run } from './types.ts'

/** `text` as a regular expression that matches exactly it. */
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Options of {@link abCompare}. */
export interface AbCompareOptions {
  /** Repository to compare in (its .git is used for the worktrees). */
  repo: string
  /** Base ref (commit, branch, tag). @default the merge-base of `head` with `main` */
  base?: string
  /** Head ref. @default 'HEAD' */
  head?: string
  /** Interleaved rounds per side; each round is a fresh harness process per case. @default 5 */
  rounds?: number
  /** Harness `--filter` (which cases to run); all cases when absent. */
  filter?: string
  /** Report settings (thresholds, alpha, bootstrap). */
  config: ReportConfig
  /** Judge cases measured while other processes loaded the machine. @default false */
  judgeBusy?: boolean
  /** Skip `pnpm install` in the worktrees (when they share an installed tree). @default false */
  skipInstall?: boolean
  /** Progress lines. @default no output */
  log?: (line: string) => void
  /** Folder the two worktrees are created in (removed afterwards). @default os.tmpdir() */
  tmpDir?: string
}

/** What {@link abCompare} found. */
export interface AbCompareResult {
  baseCommit: string
  headCommit: string
  rounds: number
  /** The judgement over every round. */
  comparison: Comparison
  /** Cases judged regressed in the first pass, and whether the confirmation rounds agreed. */
  confirmations: Array<{ key: string; confirmed: boolean }>
  /** Keys of confirmed regressions: the ones that fail the gate. */
  confirmed: string[]
}

/** Runs git in `repo`; a failure is a ReportError with git's message. */
export function git(repo: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
  if (r.status !== 0)
    throw new ReportError('REPORT_GIT', `report: git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
  return r.stdout.trim()
}

/** Resolves a ref to a full commit id, with a clear error for an unknown ref. */
export function resolveCommit(repo: string, ref: string): string {
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' })
  if (r.status !== 0) throw new ReportError('REPORT_GIT', `report: unknown git ref ${JSON.stringify(ref)} in ${repo}`)
  return r.stdout.trim()
}

/** The merge-base of `head` with origin/main or main. */
export function defaultBase(repo: string, head: string): string {
  for (const main of ['origin/main', 'main']) {
    const r = spawnSync('git', ['merge-base', main, head], { cwd: repo, encoding: 'utf8' })
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim()
  }
  throw new ReportError('REPORT_GIT', 'report: no merge-base with main; pass --base')
}

/** Pools the samples of every round of each case into one record per case (the statistics then see all rounds). */
export function poolRuns(runs: Run[]): Run {
  if (runs.length === 0) throw new ReportError('REPORT_AB', 'report: the A/B comparison recorded no run')
  const byKey = new Map<
    string,
    {
      first: HistoryRecord
      samples: number[]
      processes: BenchRecord['processes']
      rss: number
      gc: number
      rounds: number
    }
  >()
  for (const run of runs) {
    for (const hr of run.records) {
      const key = caseKey(hr.record)
      const e = byKey.get(key)
      if (!e)
        byKey.set(key, {
          first: hr,
          samples: [...hr.record.samples_ms],
          processes: [...hr.record.processes],
          rss: hr.record.memory.rss_peak_bytes ?? 0,
          gc: hr.record.memory.gc_ms ?? 0,
          rounds: 1,
        })
      else {
        e.samples.push(...hr.record.samples_ms)
        e.processes.push(...hr.record.processes)
        e.rss = Math.max(e.rss, hr.record.memory.rss_peak_bytes ?? 0)
        e.gc += hr.record.memory.gc_ms ?? 0
        e.rounds++
      }
    }
  }
  const records: HistoryRecord[] = [...byKey.values()].map(({ first, samples, processes, rss, gc, rounds }) => {
    const stats = computeStats(samples)
    const worst = processes.reduce((m, p) => Math.max(m, p.host.other_cpu_cores ?? 0), 0)
    const r: BenchRecord = {
      ...first.record,
      samples_ms: samples,
      // Every round is a fresh process of the case: the processes of all rounds are the evidence.
      processes,
      host: {
        ...first.record.host,
        other_cpu_cores: processes.some((p) => p.host.other_cpu_cores !== null) ? worst : null,
      },
      stats,
      throughput: {
        items_per_s: first.record.items_per_op / (stats.p50_ms / 1000),
        bytes_per_s: first.record.bytes_per_op === null ? null : first.record.bytes_per_op / (stats.p50_ms / 1000),
      },
      // Peak RSS is the largest of any round; GC time the mean per round (rounds of one side are alike).
      memory: {
        ...first.record.memory,
        rss_peak_bytes: rss || null,
        gc_ms: first.record.memory.gc_ms === null ? null : gc / rounds,
      },
    }
    return { ...first, record: r }
  })
  // The pooled run keeps the first round's metadata; its label says how many rounds it holds.
  return { ...runs[0]!, label: runs[0]!.label.replace(/-r\d+$/, `-${runs.length}-rounds-pooled`), records }
}

/** One worktree of an A/B run. */
export interface Side {
  name: 'base' | 'head'
  dir: string
  env: Record<string, string>
}

/** `pnpm install --frozen-lockfile` in a worktree (offline when the store has everything). */
export function installWorktree(dir: string, what: string): void {
  const r = spawnSync('pnpm', ['install', '--frozen-lockfile', '--prefer-offline', '--reporter=silent'], {
    cwd: dir,
    encoding: 'utf8',
  })
  if (r.status !== 0)
    throw new ReportError(
      'REPORT_AB',
      `report: pnpm install failed in ${what}: ${(r.stderr || r.stdout).trim().slice(-500)}`,
    )
}

/** Runs the harness once in a worktree (one round: `processes` fresh processes per case, default one). */
export function runRound(
  side: Side,
  label: string,
  filter: string | undefined,
  log: (l: string) => void,
  processes = 1,
): void {
  const bin = join(side.dir, 'packages', 'bench', 'bin', 'ttapi-bench.js')
  if (!existsSync(bin)) throw new ReportError('REPORT_AB', `report: ${side.name} has no harness at ${bin}`)
  const args = [bin, 'run', '--all', '--label', label, ...(filter ? ['--filter', filter] : [])]
  log(`report compare: ${side.name} ${label}${filter ? ` (filter ${filter})` : ''}`)
  const r = spawnSync(process.execPath, args, {
    cwd: side.dir,
    // One process per case per round unless asked: the rounds are the processes (a harness too old
    // for BENCH_PROCESSES runs one anyway). BENCH_RUN_ID must not tie the rounds into one run.
    env: {
      ...process.env,
      ...side.env,
      CI: process.env.CI ?? '1',
      BENCH_PROCESSES: String(processes),
      BENCH_RUN_ID: '',
    },
    encoding: 'utf8',
  })
  // A case failing on one side is a result to report, not a crash: the records that were written still count.
  if (r.status !== 0)
    log(
      `report compare: ${side.name} ${label} exited ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`,
    )
}

/** The runs of a worktree's history whose label starts with `labelPrefix`. */
export async function sideRuns(side: Side, labelPrefix: string): Promise<Run[]> {
  const dir = join(side.dir, 'benchmarks')
  const history = await loadHistory(dir)
  return history.runs.filter((r) => r.label.startsWith(labelPrefix))
}

/**
 * A/B on one machine: checks both refs out into git worktrees, installs, runs the benches interleaved
 * (base, head, then head, base, …: drift hits both sides alike), each round a fresh process, and judges
 * them with the report's statistics. Cases judged `regressed` are re-run interleaved; only a regression
 * the confirmation rounds agree with counts.
 */
export async function abCompare(o: AbCompareOptions): Promise<AbCompareResult> {
  const log = o.log ?? (() => {})
  const rounds = o.rounds ?? 5
  if (!Number.isInteger(rounds) || rounds < 2)
    throw new ReportError('REPORT_USAGE', `report: expected --rounds to be an integer from 2 up, got ${rounds}`)
  const headCommit = resolveCommit(o.repo, o.head ?? 'HEAD')
  const baseCommit = o.base ? resolveCommit(o.repo, o.base) : defaultBase(o.repo, headCommit)
  const tmp = mkdtempSync(join(o.tmpDir ?? tmpdir(), 'ttapi-ab-'))
  const sides: Side[] = [
    { name: 'base', dir: join(tmp, 'base'), env: {} },
    { name: 'head', dir: join(tmp, 'head'), env: {} },
  ]
  try {
    git(o.repo, ['worktree', 'add', '--detach', sides[0]!.dir, baseCommit])
    git(o.repo, ['worktree', 'add', '--detach', sides[1]!.dir, headCommit])
    if (!o.skipInstall) {
      for (const s of sides) {
        log(
          `report compare: installing ${s.name} (${s.name === 'base' ? baseCommit.slice(0, 10) : headCommit.slice(0, 10)})`,
        )
        installWorktree(s.dir, `the ${s.name} worktree`)
      }
    }
    const interleave = async (n: number, prefix: string, filter: string | undefined): Promise<[Run[], Run[]]> => {
      for (let i = 0; i < n; i++) {
        const order = i % 2 === 0 ? sides : [sides[1]!, sides[0]!]
        for (const s of order) runRound(s, `${prefix}-${s.name}-r${i + 1}`, filter, log)
      }
      return [await sideRuns(sides[0]!, `${prefix}-base`), await sideRuns(sides[1]!, `${prefix}-head`)]
    }
    const [baseRuns, headRuns] = await interleave(rounds, 'ab', o.filter)
    const comparison = compareRuns(poolRuns(baseRuns), poolRuns(headRuns), { config: o.config, judgeBusy: o.judgeBusy })
    const suspects = comparison.cases.filter((c) => c.status === 'regressed')
    const confirmations: AbCompareResult['confirmations'] = []
    if (suspects.length > 0) {
      // Re-run just the suspects, interleaved again; a regression counts only if these rounds agree.
      const filter = suspects.map((c) => `^${escapeRegExp(`${c.suite}/${c.case}`)}$`).join('|')
      const [b2, h2] = await interleave(rounds, 'confirm', filter)
      const again = compareRuns(poolRuns(b2), poolRuns(h2), { config: o.config, judgeBusy: o.judgeBusy })
      for (const c of suspects) {
        const key = caseKey(c)
        const row = again.cases.find((x) => caseKey(x) === key)
        confirmations.push({ key, confirmed: row?.status === 'regressed' })
      }
    }
    return {
      baseCommit,
      headCommit,
      rounds,
      comparison,
      confirmations,
      confirmed: confirmations.filter((c) => c.confirmed).map((c) => c.key),
    }
  } finally {
    for (const s of sides) spawnSync('git', ['worktree', 'remove', '--force', s.dir], { cwd: o.repo })
    rmSync(tmp, { recursive: true, force: true })
  }
}
