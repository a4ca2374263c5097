import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../errors.ts'
import { createCheckRun, createGitHubClient, GitHubError, upsertComment } from '../github.ts'
import { parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

export const GITHUB_USAGE = `Usage: report github --repo OWNER/REPO --pr N --sha SHA --file REPORT.md [--exit-code N] [--full-report-url URL]
  Upserts the one benchmark comment on the pull request (found by a hidden marker) and creates a check
  run on SHA (failure when --exit-code is 1). Token from GITHUB_TOKEN; API from GITHUB_API_URL.
`

/** `report github`: publish a report to a pull request (comment + check run). */
export async function githubCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      repo: { type: 'string' },
      pr: { type: 'string' },
      sha: { type: 'string' },
      file: { type: 'string' },
      'exit-code': { type: 'string', default: '0' },
      'full-report-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(GITHUB_USAGE)
    return 0
  }
  const [owner, repo] = (values.repo ?? '').split('/')
  if (!owner || !repo)
    throw new UsageError(`report: expected --repo OWNER/REPO, got ${JSON.stringify(values.repo ?? '')}`)
  const pr = Number(values.pr)
  if (!Number.isInteger(pr) || pr < 1)
    throw new UsageError(`report: expected --pr to be a pull request number, got ${JSON.stringify(values.pr ?? '')}`)
  if (!values.file) throw new UsageError('report: --file REPORT.md is required')
  let body: string
  try {
    body = readFileSync(resolve(io.cwd, values.file), 'utf8')
  } catch (error) {
    throw new UsageError(`report: cannot read --file ${values.file}: ${(error as Error).message}`, { cause: error })
  }
  const token = process.env.GITHUB_TOKEN ?? ''
  try {
    const octokit = createGitHubClient({ token, onWarning: (m) => io.stderr(`${m}\n`) })
    const comment = await upsertComment(octokit, { owner, repo, issueNumber: pr }, body, {
      fullReportUrl: values['full-report-url'] ?? null,
    })
    io.stdout(`report: ${comment.action} comment ${comment.url}${comment.truncated ? ' (truncated)' : ''}\n`)
    if (values.sha) {
      const failed = values['exit-code'] === '1'
      const check = await createCheckRun(octokit, {
        owner,
        repo,
        headSha: values.sha,
        conclusion: failed ? 'failure' : 'success',
        title: failed ? 'Confirmed performance regression' : 'No confirmed performance regression',
        summary: body,
        fullReportUrl: values['full-report-url'] ?? null,
      })
      io.stdout(`report: check run ${check.url}\n`)
    }
    return 0
  } catch (error) {
    if (error instanceof GitHubError) {
      io.stderr(`${error.message}\n`)
      return 2
    }
    throw error
  }
}
