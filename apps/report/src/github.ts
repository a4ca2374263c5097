import { Octokit, RequestError } from 'octokit'
import { GitHubError } from './errors.ts'

/** GitHub's limit on an issue comment or check-run summary body. */
export const GITHUB_BODY_LIMIT = 65_536

/** The hidden marker that identifies the one benchmark comment on a pull request. */
export const COMMENT_MARKER = '<!-- ttapi-bench-report -->'

/** Options of {@link createGitHubClient}. */
export interface GitHubClientOptions {
  /** A token with `pull-requests: write` (comments) and `checks: write` (check runs). */
  token: string
  /** REST base URL. @default process.env.GITHUB_API_URL ?? 'https://api.github.com' */
  baseUrl?: string
  /** Retries of 5xx answers (the retry plugin's backoff is (n+1)^2 x `retryBaseMs`). @default 3 */
  retries?: number
  /** Base of the retry and rate-limit waits in ms; tests shorten it. @default 1000 */
  retryBaseMs?: number
  /** Retries after a rate limit (403/429 with reset or Retry-After). @default 2 */
  rateLimitRetries?: number
  /** Receives warnings (rate limits hit, retries). @default console.warn */
  onWarning?: (message: string) => void
}

/** Octokit v5 with retry (5xx) and throttling (primary and secondary rate limits) configured. */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  if (!options.token) throw new GitHubError('GITHUB_PERMISSION', 'github: no token: set GITHUB_TOKEN')
  const warn = options.onWarning ?? ((m: string) => console.warn(m))
  const base = options.retryBaseMs ?? 1000
  const rateLimitRetries = options.rateLimitRetries ?? 2
  const onLimit =
    (kind: string) => (retryAfter: number, req: { method: string; url: string; request: { retryCount: number } }) => {
      warn(
        `github: ${kind} rate limit on ${req.method} ${req.url}; retry ${req.request.retryCount + 1} in ${retryAfter} s`,
      )
      return req.request.retryCount < rateLimitRetries
    }
  return new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
    userAgent: 'ttapi-report',
    log: { debug: () => {}, info: () => {}, warn, error: warn },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: base },
    throttle: {
      retryAfterBaseValue: base,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  })
}

/** Maps an Octokit failure to a {@link GitHubError} naming the call and what to do. */
export function toGitHubError(error: unknown, what: string): GitHubError {
  if (error instanceof GitHubError) return error
  if (error instanceof RequestError) {
    const status = error.status
    const detail = (error.response?.data as { message?: string } | undefined)?.message ?? error.message
    const headers = error.response?.headers ?? {}
    if (
      (status === 403 || status === 429) &&
      (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined)
    ) {
      return new GitHubError(
        'GITHUB_RATE_LIMITED',
        `github: ${what}: rate limited (${detail}); try again after the reset`,
        { cause: error, status },
      )
    }
    if (status === 401 || status === 403) {
      return new GitHubError(
        'GITHUB_PERMISSION',
        `github: ${what}: permission denied (${status}: ${detail}). The token needs pull-requests: write and checks: write; pull requests from forks get a read-only token (see .github/workflows/bench.yml)`,
        { cause: error, status },
      )
    }
    if (status === 404) {
      return new GitHubError(
        'GITHUB_NOT_FOUND',
        `github: ${what}: not found (404: ${detail}); check the repository, the pull request number and the token's access`,
        { cause: error, status },
      )
    }
    return new GitHubError('GITHUB_FAILED', `github: ${what}: ${status}: ${detail}`, { cause: error, status })
  }
  return new GitHubError('GITHUB_FAILED', `github: ${what}: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  })
}

/**
 * Fits `body` into `limit` characters: cuts at a line end and appends a note pointing at the full report.
 * @param fullReportUrl - where the whole report can be read (job summary or artifact); null for none.
 */
export function truncateBody(
  body: string,
  fullReportUrl: string | null,
  limit: number = GITHUB_BODY_LIMIT,
): { body: string; truncated: boolean } {
  if (body.length <= limit) return { body, truncated: false }
  const note = `\n\n> ⚠️ Truncated: this report is ${body.length.toLocaleString('en-US')} characters, over GitHub's ${limit.toLocaleString('en-US')}-character limit.${fullReportUrl ? ` [Read the full report](${fullReportUrl}).` : ''}\n`
  let cut = body.slice(0, Math.max(0, limit - note.length))
  const nl = cut.lastIndexOf('\n')
  if (nl > cut.length / 2) cut = cut.slice(0, nl)
  return { body: cut + note, truncated: true }
}

/** Where to comment. */
export interface CommentTarget {
  owner: string
  repo: string
  /** Pull request (issue) number. */
  issueNumber: number
}

/** Result of {@link upsertComment}. */
export interface UpsertCommentResult {
  action: 'created' | 'updated'
  /** Id of the one comment that now carries the report. */
  id: number
  url: string
  truncated: boolean
  /** Duplicate marker comments (from racing runs) that were deleted. */
  removedDuplicates: number
}

interface IssueComment {
  id: number
  body?: string | null
  html_url: string
}

async function markerComments(octokit: Octokit, t: CommentTarget, marker: string): Promise<IssueComment[]> {
  const all = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: t.owner,
    repo: t.repo,
    issue_number: t.issueNumber,
    per_page: 100,
  })) as IssueComment[]
  return all.filter((c) => c.body?.includes(marker)).sort((a, b) => a.id - b.id)
}

/**
 * Creates or updates the ONE report comment on a pull request, found by its hidden marker. Two runs racing
 * may both create one; each run then re-reads the list, keeps the oldest marker comment (updated with its
 * body) and deletes the others, so the pull request converges to a single comment.
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  body: string,
  options: { marker?: string; fullReportUrl?: string | null } = {},
): Promise<UpsertCommentResult> {
  const marker = options.marker ?? COMMENT_MARKER
  const fitted = truncateBody(`${marker}\n${body}`, options.fullReportUrl ?? null)
  const what = `comment on ${target.owner}/${target.repo}#${target.issueNumber}`
  try {
    let existing = await markerComments(octokit, target, marker)
    let action: 'created' | 'updated' = 'updated'
    if (existing.length === 0) {
      await octokit.rest.issues.createComment({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        body: fitted.body,
      })
      action = 'created'
      existing = await markerComments(octokit, target, marker)
    }
    const [keep, ...duplicates] = existing
    if (!keep) throw new GitHubError('GITHUB_FAILED', `github: ${what}: the comment just created is not listed`)
    let removed = 0
    for (const d of duplicates) {
      try {
        await octokit.rest.issues.deleteComment({ owner: target.owner, repo: target.repo, comment_id: d.id })
        removed++
      } catch (error) {
        // The racing run may have deleted it first.
        if (!(error instanceof RequestError && error.status === 404)) throw error
      }
    }
    if (keep.body !== fitted.body) {
      await octokit.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: keep.id,
        body: fitted.body,
      })
    }
    return { action, id: keep.id, url: keep.html_url, truncated: fitted.truncated, removedDuplicates: removed }
  } catch (error) {
    throw toGitHubError(error, what)
  }
}

/** A check run to create on a commit. */
export interface CheckRunOptions {
  owner: string
  repo: string
  headSha: string
  /** @default 'ttapi benchmarks' */
  name?: string
  conclusion: 'success' | 'failure' | 'neutral'
  title: string
  /** Markdown summary; truncated to GitHub's limit with a note. */
  summary: string
  fullReportUrl?: string | null
}

/** Creates a completed check run carrying the report summary; returns its id and URL. */
export async function createCheckRun(
  octokit: Octokit,
  o: CheckRunOptions,
): Promise<{ id: number; url: string; truncated: boolean }> {
  const fitted = truncateBody(o.summary, o.fullReportUrl ?? null)
  try {
    const res = await octokit.rest.checks.create({
      owner: o.owner,
      repo: o.repo,
      name: o.name ?? 'ttapi benchmarks',
      head_sha: o.headSha,
      status: 'completed',
      conclusion: o.conclusion,
      output: { title: o.title, summary: fitted.body },
    })
    return { id: res.data.id, url: res.data.html_url ?? '', truncated: fitted.truncated }
  } catch (error) {
    throw toGitHubError(error, `check run on ${o.owner}/${o.repo}@${o.headSha.slice(0, 7)}`)
  }
}
