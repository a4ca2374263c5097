import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMMENT_MARKER, createCheckRun, createGitHubClient, truncateBody, upsertComment } from '../src/github.ts'
import { GitHubError, ReportError } from '../src/errors.ts'
import { startFakeGitHub, type FakeGitHub } from './_fake-github.ts'

let gh: FakeGitHub
const warnings: string[] = []
const target = { owner: 'o', repo: 'r', issueNumber: 7 }

function client(): ReturnType<typeof createGitHubClient> {
  return createGitHubClient({ token: 't0k3n', baseUrl: gh.url, retryBaseMs: 5, onWarning: (m) => warnings.push(m) })
}

beforeEach(async () => {
  gh = await startFakeGitHub()
  warnings.length = 0
})
afterEach(async () => {
  await gh.close()
})

describe('upsertComment', () => {
  it('creates the comment once, then updates it in place', async () => {
    const octokit = client()
    const first = await upsertComment(octokit, target, '## run 1')
    const second = await upsertComment(octokit, target, '## run 2')
    expect(first.action).toBe('created')
    expect(second.action).toBe('updated')
    expect(second.id).toBe(first.id)
    expect(gh.comments).toHaveLength(1)
    expect(gh.comments[0]!.body).toBe(`${COMMENT_MARKER}\n## run 2`)
    expect(gh.violations).toEqual([])
  })

  it('finds the marker comment on a later page', async () => {
    for (let i = 0; i < 230; i++)
      gh.comments.push({ id: i + 1, body: `chatter ${i}`, issue: 7, created_at: '2026-01-01T00:00:00Z' })
    gh.comments.push({ id: 500, body: `${COMMENT_MARKER}\nold`, issue: 7, created_at: '2026-01-02T00:00:00Z' })
    const res = await upsertComment(client(), target, 'new')
    expect(res).toMatchObject({ action: 'updated', id: 500 })
    expect(gh.requests.filter((r) => r.startsWith('GET')).length).toBe(3)
    expect(gh.requests).toContain('GET /repos/o/r/issues/7/comments?per_page=100&page=3')
    expect(gh.comments.filter((c) => c.body.includes(COMMENT_MARKER))).toHaveLength(1)
    expect(gh.violations).toEqual([])
  })

  it('retries a 502 and succeeds', async () => {
    gh.fail({ method: 'POST', path: /comments$/, status: 502, body: { message: 'Bad Gateway' } })
    const res = await upsertComment(client(), target, 'body')
    expect(res.action).toBe('created')
    expect(gh.requests.filter((r) => r.startsWith('POST'))).toHaveLength(2)
    expect(gh.comments).toHaveLength(1)
  })

  it('waits out a 403 rate limit, then succeeds', async () => {
    const reset = String(Math.floor(Date.now() / 1000))
    gh.fail({
      method: 'GET',
      path: /comments$/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded' },
    })
    const res = await upsertComment(client(), target, 'body')
    expect(res.action).toBe('created')
    expect(warnings.join('\n')).toMatch(/rate limit/)
  })

  it('names missing permissions on a plain 403', async () => {
    gh.fail({
      method: 'GET',
      path: /comments$/,
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    })
    const err = await upsertComment(client(), target, 'body').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubError)
    expect(err).toBeInstanceOf(ReportError) // one base error per package
    expect((err as GitHubError).code).toBe('GITHUB_PERMISSION')
    expect((err as GitHubError).message).toMatch(/pull-requests: write/)
  })

  it('reports a 404 clearly', async () => {
    gh.fail({ method: 'GET', path: /comments$/, status: 404, body: { message: 'Not Found' } })
    const err = (await upsertComment(client(), target, 'body').catch((e: unknown) => e)) as GitHubError
    expect(err.code).toBe('GITHUB_NOT_FOUND')
    expect(err.message).toMatch(/o\/r#7: not found/)
  })

  it('leaves exactly one comment when two runs race', async () => {
    gh.latencyMs = 15
    const [a, b] = await Promise.all([
      upsertComment(client(), target, 'from a'),
      upsertComment(client(), target, 'from b'),
    ])
    expect(gh.comments.filter((c) => c.body.includes(COMMENT_MARKER))).toHaveLength(1)
    expect(a.id).toBe(b.id)
    // Both listed before either created (15 ms latency, writes spaced by the throttler): a duplicate was removed.
    expect([a.action, b.action]).toEqual(['created', 'created'])
    expect(a.removedDuplicates + b.removedDuplicates).toBe(1)
    expect(gh.violations).toEqual([])
  })

  it('truncates a body over 65,536 characters with a link to the full report', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `| case_${i} | 1.0 ms | 2.0 ms | unchanged |`).join('\n')
    const res = await upsertComment(client(), target, long, { fullReportUrl: 'https://example.invalid/run/1' })
    expect(res.truncated).toBe(true)
    const body = gh.comments[0]!.body
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toMatch(/Truncated: .* \[Read the full report\]\(https:\/\/example\.invalid\/run\/1\)/)
  })
})

describe('truncateBody', () => {
  it('leaves short bodies alone', () => {
    expect(truncateBody('abc', null)).toEqual({ body: 'abc', truncated: false })
  })
})

describe('createCheckRun', () => {
  it('creates a completed check run with a schema-valid body', async () => {
    const res = await createCheckRun(client(), {
      owner: 'o',
      repo: 'r',
      headSha: 'a'.repeat(40),
      conclusion: 'failure',
      title: '1 regression',
      summary: '❌ cache/collect_symbols_cached_disk regressed',
    })
    expect(res.id).toBeGreaterThan(0)
    expect(gh.checkRuns[0]).toMatchObject({ head_sha: 'a'.repeat(40), status: 'completed', conclusion: 'failure' })
    expect(gh.violations).toEqual([])
  })
})

describe('the fake server', () => {
  it('flags a request that GitHub would reject', async () => {
    await fetch(`${gh.url}/repos/o/r/check-runs`, { method: 'POST', body: JSON.stringify({ name: 'x' }) })
    expect(gh.violations.join('\n')).toMatch(/head_sha/)
  })
})
