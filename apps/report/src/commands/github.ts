import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { UsageError } from '../errors.ts'
import { GitHubError } from '../errors.ts'
import { createCheckRun, createGitHubClient, upsertComment } from '../github.ts'
import { parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

export const GITHUB_USAGE = `Usage: report github --repo OWNER/REPO --pr N --sha SHA --file REPORT.md [--exit-code N]
                     [--full-report-url URL]
  Upserts the one benchmark comment on the pull request (found by a hidden marker) and creates a
  check run on SHA: success for --exit-code 0, failure otherwise (1: a confirmed regression;
  anything else: the comparison itself failed). Token from GITHUB_TOKEN; API from GITHUB_API_URL.
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
  const exitCode = Number(values['exit-code'])
  if (!Number.isInteger(exitCode) || exitCode < 0)
    throw new UsageError(
      `report: expected --exit-code to be the compare step's exit code (0, 1, 2), got ${JSON.stringify(values['exit-code'])}`,
    )
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
      // Only 0 is a pass: an exit of 2 (compare could not run) must not show as a green check.
      const check = await createCheckRun(octokit, {
        owner,
        repo,
        headSha: values.sha,
        conclusion: exitCode === 0 ? 'success' : 'failure',
        title:
          exitCode === 0
            ? 'No confirmed performance regression'
            : exitCode === 1
              ? 'Confirmed performance regression'
              : `Benchmark comparison failed (exit ${exitCode})`,
        summary: body,
        fullReportUrl: values['full-report-url'] ?? null,
      })
      io.stdout(`report: check run ${check.url}\n`)
    }
    return 0
  } catch (error) {
    if (error instanceof GitHubError) {
      io.stderr(`${error.message}\n`)
      // A token, repository or pull request the user named that does not work is an input error (2);
      // GitHub failing or rate-limiting the work is a failure of the work (1).
      return error.code === 'GITHUB_PERMISSION' || error.code === 'GITHUB_NOT_FOUND' ? 2 : 1
    }
    throw error
  }
}
