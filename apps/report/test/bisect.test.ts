// `report bisect` on a generated git repository: a copy of the real harness plus a tiny package whose
// case's op takes as long as a committed file says; 16 commits after the good one, one of which makes
// it 30% longer (or none does). The op is a calibrated wait (Atomics.wait), not a CPU loop: on this
// shared 2-core machine (load average 8-12 while others test) a CPU loop's per-process p50 moved ±20%
// between identical processes, a wait's by a few percent; the bisect mechanics are what is under test. The
// repository and its worktrees: test/_demo-repo.ts.
import { spawn } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bisect } from '../src/bisect.ts'
import { main } from '../src/cli.ts'
import { DEFAULT_CONFIG } from '../src/config.ts'
import { demoRepo, git } from './_demo-repo.ts'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
/** The op's wait in ms at the good commit; the slow commit makes it 1.3 × this. */
const WAIT_MS = 8

/**
 * root/repo: the harness, package `demo` (case `demo/loop` waits `ms` from work.json) and 16 commits
 * after the base; commit `slowAt` (1-based) sets ms to 1.3 × WAIT_MS, the others touch NOTES.md.
 * root/tmp: where the worktrees go.
 */
function makeRepo(slowAt: number | null): { repo: string; tmp: string; commits: string[] } {
  const { repo, tmp, demo } = demoRepo({
    prefix: 'ttapi-bisect-test-',
    name: 'bisect-test',
    work: `{ "ms": ${WAIT_MS} }\n`,
    bench: `import { readFileSync } from 'node:fs'
import { defineSuite } from '../../bench/src/index.ts'
const { ms } = JSON.parse(readFileSync(new URL('../work.json', import.meta.url), 'utf8'))
const cell = new Int32Array(new SharedArrayBuffer(4))
export default defineSuite({
  suite: 'demo',
  cases: [
    { name: 'loop', unit: 'ops', itemsPerOp: 1, fn: () => Atomics.wait(cell, 0, 0, ms) },
  ],
})
`,
    readme: ['NOTES.md', '# notes\n'],
  })
  const commits = [git(repo, 'rev-parse', 'HEAD')]
  for (let k = 1; k <= 16; k++) {
    if (k === slowAt) {
      writeFileSync(join(demo, 'work.json'), `{ "ms": ${WAIT_MS * 1.3} }\n`)
      git(repo, 'commit', '-qam', `demo: loop takes 30% longer (commit ${k})`)
    } else {
      writeFileSync(join(repo, 'NOTES.md'), `# notes\n\n${'line\n'.repeat(k)}`)
      git(repo, 'commit', '-qam', `notes ${k}`)
    }
    commits.push(git(repo, 'rev-parse', 'HEAD'))
  }
  return { repo, tmp, commits }
}

// Short measurements: the mechanics are under test, and p50 is steadier than p95 on a shared 2-core machine.
const FAST = { BENCH_MEASURE_MS: '150', BENCH_WARMUP_MS: '30' }
// Gate on p50 at 10%, as report compare's own test does.
const CONFIG = { ...DEFAULT_CONFIG, thresholds: { p50: 10, p95: null } }
/** Each test runs real harness processes (about 3 s each on the shared machine): minutes, not seconds. */
const TIMEOUT = 300_000

/** Runs `f` with the short harness settings (and TMPDIR = `tmp` when given) in process.env. */
async function withFastHarness<T>(f: () => Promise<T>, tmp?: string): Promise<T> {
  const set: Record<string, string> = tmp === undefined ? FAST : { ...FAST, TMPDIR: tmp }
  const saved = { ...process.env }
  Object.assign(process.env, set)
  try {
    return await f()
  } finally {
    for (const k of Object.keys(set))
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
  }
}

/** Nothing of the bisect is left: one worktree, no bisect in progress, the checkout as it was. */
function expectRestored(repo: string, tmp: string, head: string): void {
  // (tsx keeps its compile cache in TMPDIR, which the CLI test points here.)
  expect(readdirSync(tmp).filter((f) => f.startsWith('ttapi-'))).toEqual([])
  expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1)
  expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
  expect(git(repo, 'status', '--porcelain')).toBe('')
  expect(() => git(repo, 'bisect', 'log')).toThrow()
}

describe('bisect (generated repository, real harness runs, real git bisect)', () => {
  it(
    'finds the one commit among 16 that slows demo/loop by 30%, and prints it with its evidence',
    async () => {
      const { repo, tmp, commits } = makeRepo(11)
      const head = git(repo, 'rev-parse', 'HEAD')
      const config = join(tmp, '..', 'ttapi.report.json')
      writeFileSync(config, JSON.stringify({ thresholds: CONFIG.thresholds }))
      const out: string[] = []
      const err: string[] = []
      const code = await withFastHarness(
        () =>
          main(
            // The CLI as a user types it; its worktrees go to TMPDIR (set to tmp by withFastHarness).
            [
              'bisect',
              '--case',
              'demo/loop',
              '--good',
              commits[0]!,
              '--bad',
              'HEAD',
              '--rounds',
              '2',
              '--max-rounds',
              '4',
            ].concat(['--skip-install', '--judge-busy', '--config', config]),
            {
              stdout: (t) => void out.push(t),
              stderr: (t) => {
                err.push(t)
                if (process.env.BISECT_DEBUG === '1') process.stderr.write(t)
              },
              cwd: repo,
              color: false,
            },
          ),
        tmp,
      )
      const text = out.join('')
      const seen = `${text}\n${err.filter((l) => l.startsWith('report bisect')).join('')}`
      expect(code, seen).toBe(0)
      expect(text, seen).toContain(`First bad commit: ${commits[11]} — demo: loop takes 30% longer (commit 11)`)
      const evidence =
        /evidence: ([0-9a-f]{10}) regressed \(bad\): p50 \+([\d.]+)% \(95% CI \+([\d.]+)% to \+([\d.]+)%\), (\d+) rounds per side/.exec(
          text,
        )
      expect(evidence, text).not.toBeNull()
      expect(evidence![1]).toBe(commits[11]!.slice(0, 10))
      // The reference: the commit multiplies the op's wait by 1.3 (+30%).
      const [ratio, low, high] = [Number(evidence![2]), Number(evidence![3]), Number(evidence![4])]
      expect(ratio).toBeGreaterThan(20)
      expect(ratio).toBeLessThan(40)
      expect(low).toBeGreaterThan(10)
      expect(high).toBeGreaterThanOrEqual(ratio)
      expect(Number(evidence![5])).toBeGreaterThanOrEqual(2)
      // The bad ref first, then a binary search over 16 commits: far fewer steps than commits.
      const steps = text.split('\n').filter((l) => /^ {2}[0-9a-f]{10} /.test(l))
      expect(steps[0]).toMatch(new RegExp(`^  ${commits[16]!.slice(0, 10)} regressed: p50 \\+`))
      expect(steps.length).toBeLessThanOrEqual(8)
      expectRestored(repo, tmp, head)
    },
    TIMEOUT,
  )

  it(
    'blames no commit when nothing slows down, without bisecting',
    async () => {
      const { repo, tmp, commits } = makeRepo(null)
      const head = git(repo, 'rev-parse', 'HEAD')
      const r = await withFastHarness(() =>
        bisect({
          repo,
          case: 'demo/loop',
          good: commits[0]!,
          bad: 'HEAD',
          rounds: 2,
          maxRounds: 4,
          config: CONFIG,
          judgeBusy: true,
          skipInstall: true,
          tmpDir: tmp,
        }),
      )
      expect(r.firstBad).toBeNull()
      expect(r.steps).toHaveLength(1)
      expect(['no_regression', 'inconclusive'], r.steps[0]!.reason).toContain(r.outcome)
      expect(r.steps[0]!.status).not.toBe('regressed')
      expectRestored(repo, tmp, head)
    },
    TIMEOUT,
  )

  it(
    'restores everything after an error (a case the good ref does not have) and after SIGINT',
    async () => {
      const { repo, tmp, commits } = makeRepo(11)
      const head = git(repo, 'rev-parse', 'HEAD')
      await expect(
        withFastHarness(() =>
          bisect({
            repo,
            case: 'demo/nope',
            good: commits[0]!,
            bad: 'HEAD',
            rounds: 2,
            config: CONFIG,
            judgeBusy: true,
            skipInstall: true,
            tmpDir: tmp,
          }),
        ),
      ).rejects.toThrow(/report bisect: the good ref [0-9a-f]{10} has no results for demo\/nope/)
      expectRestored(repo, tmp, head)

      // The CLI, interrupted while the first step runs: exit 130, one line, nothing left behind.
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          cli,
          'bisect',
          '--case',
          'demo/loop',
          '--good',
          commits[0]!,
          '--bad',
          'HEAD',
          '--skip-install',
          '--judge-busy',
        ],
        // INIT_CWD (set by pnpm and npx) would point the CLI at the workspace the tests run from.
        { cwd: repo, env: { ...process.env, ...FAST, TMPDIR: tmp, INIT_CWD: repo }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let err = ''
      let signalled = false
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString()
        if (!signalled && err.includes('bisect-s1-base-r1')) {
          signalled = true
          child.kill('SIGINT')
        }
      })
      const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)))
      expect(signalled, err).toBe(true)
      expect(code, err).toBe(130)
      expect(err).toMatch(/report bisect: SIGINT: stopping after the harness run in progress/)
      expect(err).toMatch(/report bisect: interrupted; the worktrees and the bisect state were removed\n$/)
      expect(err).not.toMatch(/\n\s+at /)
      expectRestored(repo, tmp, head)
    },
    TIMEOUT,
  )

  it('refuses a bad --case, a good ref that is not an ancestor, and equal refs before touching git', async () => {
    const { repo, commits } = makeRepo(null)
    const base = { repo, config: CONFIG, skipInstall: true }
    await expect(bisect({ ...base, case: 'loop', good: commits[0]!, bad: 'HEAD' })).rejects.toThrow(
      /expected --case to be SUITE\/CASE/,
    )
    await expect(bisect({ ...base, case: 'demo/loop', good: 'HEAD', bad: commits[0]! })).rejects.toThrow(
      /is not an ancestor of --bad/,
    )
    await expect(bisect({ ...base, case: 'demo/loop', good: 'HEAD', bad: 'HEAD' })).rejects.toThrow(/the same commit/)
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1)
  })
})
