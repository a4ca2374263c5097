// `report github` as the workflow calls it, against the OpenAPI-checking fake GitHub on 127.0.0.1.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { COMMENT_MARKER } from '../src/github.ts'
import { startFakeGitHubEnv, type FakeGitHub } from './_fake-github.ts'
import { tempDir } from './_runs.ts'

let gh: FakeGitHub

beforeEach(async () => {
  gh = await startFakeGitHubEnv()
})
afterEach(() => gh.close())

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['github', ...args], {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    cwd: dir,
    color: false,
  })
  return { code, out: out.join(''), err: err.join('') }
}

let dir = ''
function reportFile(): string {
  dir = tempDir()
  writeFileSync(join(dir, 'report.md'), '## Benchmarks\n\nno confirmed regression\n')
  return 'report.md'
}

describe('report github', () => {
  it('posts the comment and a success check run for exit code 0', async () => {
    const file = reportFile()
    const r = await run(['--repo', 'o/r', '--pr', '7', '--sha', 'a'.repeat(40), '--file', file, '--exit-code', '0'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true)
    expect(gh.checkRuns).toHaveLength(1)
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'success', head_sha: 'a'.repeat(40) })
    expect(gh.violations).toEqual([])
  })

  it('marks the check failed for a confirmed regression (1) and for a comparison that could not run (2)', async () => {
    const file = reportFile()
    await run(['--repo', 'o/r', '--pr', '7', '--sha', 'b'.repeat(40), '--file', file, '--exit-code', '1'])
    await run(['--repo', 'o/r', '--pr', '7', '--sha', 'b'.repeat(40), '--file', file, '--exit-code', '2'])
    expect(gh.checkRuns.map((c) => [c['conclusion'], (c['output'] as { title: string }).title])).toEqual([
      ['failure', 'Confirmed performance regression'],
      ['failure', 'Benchmark comparison failed (exit 2)'],
    ])
    // Still one comment, updated in place.
    expect(gh.comments).toHaveLength(1)
  })

  it('rejects bad arguments with one line naming the input, before calling GitHub', async () => {
    const file = reportFile()
    const cases: [string[], RegExp][] = [
      [['--repo', 'just-a-name', '--pr', '7', '--file', file], /expected --repo OWNER\/REPO, got "just-a-name"/],
      [['--repo', 'o/r', '--pr', 'x', '--file', file], /expected --pr to be a pull request number, got "x"/],
      [['--repo', 'o/r', '--pr', '7'], /--file REPORT\.md is required/],
      [['--repo', 'o/r', '--pr', '7', '--file', 'missing.md'], /cannot read --file missing\.md/],
      [['--repo', 'o/r', '--pr', '7', '--file', file, '--exit-code', 'fail'], /expected --exit-code .* got "fail"/],
    ]
    for (const [args, message] of cases) {
      const r = await run(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toMatch(message)
    }
    expect(gh.requests).toEqual([])
  })

  it('names the missing token', async () => {
    const file = reportFile()
    delete process.env.GITHUB_TOKEN
    const r = await run(['--repo', 'o/r', '--pr', '7', '--file', file])
    expect(r.code).toBe(2)
    expect(r.err).toContain('github: no token: set GITHUB_TOKEN')
    expect(gh.requests).toEqual([])
  })

  it('a GitHub failure is a failure of the work (exit 1), a refused token an input error (exit 2): one line each', async () => {
    const file = reportFile()
    gh.fail({ method: 'POST', path: /\/issues\/7\/comments$/, status: 422, body: { message: 'Validation Failed' } })
    let r = await run(['--repo', 'o/r', '--pr', '7', '--file', file])
    expect(r.code, r.err).toBe(1)
    expect(r.err).toMatch(/^github: .*422: Validation Failed\n$/)
    gh.fail({ method: 'GET', path: /\/issues\/7\/comments$/, status: 401, body: { message: 'Bad credentials' } })
    r = await run(['--repo', 'o/r', '--pr', '7', '--file', file])
    expect(r.code, r.err).toBe(2)
    expect(r.err).toMatch(/^github: .*permission denied \(401: Bad credentials\)/)
    expect(r.err.trim().split('\n')).toHaveLength(1)
  })
})
