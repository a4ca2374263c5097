// The dated-run bot pull request: a real bare "origin" repository, real clones as CI checkouts, and the
// OpenAPI-checking fake GitHub on 127.0.0.1 for the pull request.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { planRunsPr, runnerMachine } from '../src/runs-pr.ts'
import { startFakeGitHubEnv, type FakeGitHub } from './_fake-github.ts'
import { tempDir } from './_runs.ts'

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

/** One history line of a run (only the fields the plan reads, plus a case name). */
function line(id: string, startedAt: string, machine: string, c: string): string {
  return JSON.stringify({
    schema: 'ttapi.bench/v2',
    run: { id, label: 'main', started_at: startedAt, git: { commit: 'c0ffee1234567', branch: 'main', dirty: false } },
    machine: { id: machine, name: machine, source: 'env' },
    case: c,
  })
}

describe('planRunsPr', () => {
  const old = `${line('r1', '2026-12-01T10:00:00Z', 'ci-runner-a', 'x')}\n`
  it('takes the lines the base lacks, from the bot branch then the working tree', () => {
    const pending = `${line('r2', '2026-12-06T10:00:00Z', 'ci-runner-a', 'x')}\n`
    const fresh = `${line('r3', '2026-12-07T10:00:00Z', 'ci-runner-a', 'x')}\n${line('r3', '2026-12-07T10:00:00Z', 'ci-runner-a', 'y')}\n`
    const plan = planRunsPr({ '2026-12-01_main.ndjson': old }, [
      { '2026-12-01_main.ndjson': old, '2026-12-06_main.ndjson': pending },
      { '2026-12-01_main.ndjson': old, '2026-12-07_main.ndjson': fresh, 'notes.txt': 'x' },
    ])!
    expect(Object.keys(plan.files).sort()).toEqual(['2026-12-06_main.ndjson', '2026-12-07_main.ndjson'])
    expect(plan.files['2026-12-07_main.ndjson']).toBe(fresh)
    expect(plan.runs.map((r) => [r.id, r.cases])).toEqual([
      ['r2', 1],
      ['r3', 2],
    ])
    expect(plan.title).toBe('benchmarks: run of 2026-12-07 on ci-runner-a')
    expect(plan.body).toContain('| `r3` | 2026-12-07T10:00:00Z | ci-runner-a | main | `c0ffee1234` | 2 |')
  })

  it('appends to a file the base already has, keeping its lines first', () => {
    const more = line('r2', '2026-12-01T18:00:00Z', 'ci-runner-a', 'x')
    const plan = planRunsPr({ 'd.ndjson': old }, [{ 'd.ndjson': `${old}${more}\n` }])!
    expect(plan.files['d.ndjson']).toBe(`${old}${more}\n`)
  })

  it('is null when the base holds every line (the pull request was merged)', () => {
    expect(planRunsPr({ 'd.ndjson': old }, [{ 'd.ndjson': old }, {}])).toBeNull()
  })
})

describe('runnerMachine', () => {
  it("names a self-hosted runner's machine by its name, and leaves GitHub-hosted ones to the hardware hash", () => {
    expect(runnerMachine({ RUNNER_ENVIRONMENT: 'self-hosted', RUNNER_NAME: 'bench box #1' })).toBe('bench-box-1')
    expect(runnerMachine({ RUNNER_ENVIRONMENT: 'github-hosted', RUNNER_NAME: 'GitHub Actions 12' })).toBeNull()
    expect(runnerMachine({})).toBeNull()
  })
})

describe('report runs-pr', () => {
  let gh: FakeGitHub
  let origin: string

  beforeEach(async () => {
    gh = await startFakeGitHubEnv()
    const root = tempDir('ttapi-runs-pr-')
    origin = join(root, 'origin.git')
    git(root, ['init', '-q', '--bare', '-b', 'main', origin])
    const seed = join(root, 'seed')
    git(root, ['clone', '-q', origin, seed])
    writeFileSync(join(seed, 'pnpm-workspace.yaml'), 'packages: []\n')
    mkdirSync(join(seed, 'benchmarks'))
    writeFileSync(
      join(seed, 'benchmarks', '2026-12-01_main.ndjson'),
      `${line('r1', '2026-12-01T10:00:00Z', 'ci-runner-a', 'x')}\n`,
    )
    git(seed, ['add', '-A'])
    git(seed, ['commit', '-q', '-m', 'seed'])
    git(seed, ['push', '-q', 'origin', 'main'])
  })
  afterEach(() => gh.close())

  /** A CI checkout of main that recorded one run into a dated file, then `report runs-pr`. */
  async function jobRecords(id: string, day: string): Promise<{ code: number; out: string; err: string }> {
    const clone = tempDir('ttapi-runs-job-')
    git(clone, ['clone', '-q', origin, '.'])
    if (id !== '')
      writeFileSync(
        join(clone, 'benchmarks', `${day}_main.ndjson`),
        `${line(id, `${day}T10:00:00Z`, 'ci-runner-a', 'x')}\n`,
      )
    const out: string[] = []
    const err: string[] = []
    const code = await main(['runs-pr', '--repo', 'o/r'], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      cwd: clone,
      color: false,
    })
    return { code, out: out.join(''), err: err.join('') }
  }

  const branchFiles = (): string[] =>
    git(origin, ['ls-tree', '--name-only', 'benchmarks/runs:benchmarks']).trim().split('\n')

  it('opens one pull request, keeps it up to date across runs, and never pushes to main', async () => {
    const mainBefore = git(origin, ['rev-parse', 'main']).trim()
    const first = await jobRecords('r7', '2026-12-07')
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toMatch(
      /^report: created pull request #\d+ "benchmarks: run of 2026-12-07 on ci-runner-a" \(1 run\(s\)\)/,
    )
    expect(gh.pulls).toHaveLength(1)
    expect(gh.pulls[0]).toMatchObject({ head: 'o:benchmarks/runs', base: 'main', state: 'open' })
    expect(branchFiles()).toEqual(['2026-12-01_main.ndjson', '2026-12-07_main.ndjson'])
    // The bot branch is one commit on top of main.
    expect(git(origin, ['rev-parse', 'benchmarks/runs~1']).trim()).toBe(mainBefore)

    // A second run before the pull request is merged: both runs on the branch, the same PR retitled.
    const second = await jobRecords('r8', '2026-12-08')
    expect(second.out).toMatch(
      /^report: updated pull request #\d+ "benchmarks: run of 2026-12-08 on ci-runner-a" \(2 run\(s\)\)/,
    )
    expect(gh.pulls).toHaveLength(1)
    expect(gh.pulls[0]!.title).toBe('benchmarks: run of 2026-12-08 on ci-runner-a')
    expect(gh.pulls[0]!.body).toContain('`r7`')
    expect(gh.pulls[0]!.body).toContain('`r8`')
    expect(branchFiles()).toEqual(['2026-12-01_main.ndjson', '2026-12-07_main.ndjson', '2026-12-08_main.ndjson'])
    expect(git(origin, ['rev-parse', 'main']).trim()).toBe(mainBefore)

    // Merged (main now holds the branch); a job with nothing new pushes nothing and calls no API.
    git(origin, ['update-ref', 'refs/heads/main', 'refs/heads/benchmarks/runs'])
    gh.pulls[0]!.state = 'closed'
    const requests = gh.requests.length
    const branchBefore = git(origin, ['rev-parse', 'benchmarks/runs']).trim()
    const third = await jobRecords('', '')
    expect(third.out).toBe('report: main already holds every run; nothing to push\n')
    expect(gh.requests.length).toBe(requests)
    expect(git(origin, ['rev-parse', 'benchmarks/runs']).trim()).toBe(branchBefore)
    expect(gh.violations).toEqual([])
  })

  it('refuses to push to the base branch (exit 2)', async () => {
    const err: string[] = []
    const code = await main(['runs-pr', '--repo', 'o/r', '--branch', 'main'], {
      stdout: () => {},
      stderr: (s) => err.push(s),
      cwd: origin,
      color: false,
    })
    expect(code).toBe(2)
    expect(err.join('')).toBe('report: --branch must differ from --base (main): runs-pr never pushes to the base\n')
  })
})
