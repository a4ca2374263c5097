import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { BenchUsageError } from './errors.ts'

/** The run an invocation of the harness belongs to. */
export interface RunSession {
  /** The run id every record of the run carries. */
  id: string
  /** When the run started: the first invocation's start. */
  startedAt: Date
  /** What tied the invocations together: `BENCH_RUN_ID`, the turbo process they run under, the CI job, or nothing (a run of its own). */
  source: 'env' | 'turbo' | 'github' | 'own'
}

/**
 * A unique, sortable run id: UTC start time plus 6 random hex chars (`20261127T001500Z-a1b2c3`).
 *
 * @param startedAt - When the run started.
 * @returns The id.
 */
export function makeRunId(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}-${randomBytes(3).toString('hex')}`
}

/** `pid (comm) state ppid … starttime …` of /proc/<pid>/stat, or null off Linux or for a gone process. */
function procStat(pid: number): { comm: string; ppid: number; start: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const close = text.lastIndexOf(')')
    const comm = text.slice(text.indexOf('(') + 1, close)
    const fields = text.slice(close + 2).split(' ')
    // After the comm: state(3) ppid(4) … starttime(22), so index 0 is field 3.
    return { comm, ppid: Number(fields[1]), start: fields[19] ?? '0' }
  } catch {
    return null
  }
}

/**
 * The nearest `turbo` process above this one: `pnpm turbo bench` starts one harness per package,
 * all under one turbo process, and they make one run. Keyed by pid and start time, so a later
 * turbo process that reuses the pid is another run.
 */
function turboAncestor(): string | null {
  let pid = process.ppid
  for (let depth = 0; depth < 32 && pid > 1; depth++) {
    const st = procStat(pid)
    if (st === null) return null
    if (st.comm === 'turbo') return `turbo-${pid}-${st.start}`
    pid = st.ppid
  }
  return null
}

/** The key that ties this invocation to others of the same run, or null when it is a run of its own. */
function sessionKey(env: NodeJS.ProcessEnv): { key: string; source: RunSession['source'] } | null {
  const explicit = env['BENCH_RUN_ID']
  if (explicit !== undefined && explicit !== '') {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(explicit))
      throw new BenchUsageError(
        `bench: Expected \`BENCH_RUN_ID\` to be 1-64 characters of [A-Za-z0-9._-], got \`${explicit}\``,
      )
    return { key: `env-${explicit}`, source: 'env' }
  }
  const turbo = turboAncestor()
  if (turbo !== null) return { key: turbo, source: 'turbo' }
  const gh = env['GITHUB_RUN_ID']
  if (gh !== undefined && gh !== '')
    return {
      key: `github-${gh}-${env['GITHUB_RUN_ATTEMPT'] ?? '1'}-${(env['GITHUB_JOB'] ?? 'job').replace(/[^A-Za-z0-9._-]/g, '_')}`,
      source: 'github',
    }
  return null
}

const SESSION_TTL_MS = 7 * 24 * 3600_000

/**
 * The run this invocation belongs to. Invocations that share a key (`BENCH_RUN_ID`, the turbo
 * process they run under, or the GitHub Actions job) share one run id and start time: the first
 * one writes `<benchDir>/.runs/<key>.json` (created whole or not at all: written aside, then
 * hard-linked into place, which fails if another invocation got there first) and the others read
 * it. Session files older than a week are removed.
 *
 * @param benchDir - The workspace's `benchmarks/` folder.
 * @param env - Environment (`BENCH_RUN_ID`, `GITHUB_*`).
 * @param now - The start time of a new run. @default new Date()
 * @returns Id, start time and what tied the run together.
 * @throws BenchUsageError for a malformed `BENCH_RUN_ID`.
 */
export function joinRunSession(benchDir: string, env: NodeJS.ProcessEnv, now: Date = new Date()): RunSession {
  const key = sessionKey(env)
  if (key === null) return { id: makeRunId(now), startedAt: now, source: 'own' }
  const dir = path.join(benchDir, '.runs')
  mkdirSync(dir, { recursive: true })
  pruneSessions(dir, now)
  const file = path.join(dir, `${key.key}.json`)
  const explicit = key.source === 'env' ? env['BENCH_RUN_ID']! : null
  const mine = { id: explicit ?? makeRunId(now), started_at: now.toISOString() }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(tmp, JSON.stringify(mine))
  try {
    linkSync(tmp, file)
    return { id: mine.id, startedAt: now, source: key.source }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const theirs = JSON.parse(readFileSync(file, 'utf8')) as { id: string; started_at: string }
    return { id: theirs.id, startedAt: new Date(theirs.started_at), source: key.source }
  } finally {
    rmSync(tmp, { force: true })
  }
}

function pruneSessions(dir: string, now: Date): void {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f)
    try {
      if (now.getTime() - statSync(p).mtimeMs > SESSION_TTL_MS) rmSync(p, { force: true })
    } catch {
      // Another invocation removed it first.
    }
  }
}
