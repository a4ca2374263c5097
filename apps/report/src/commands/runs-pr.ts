import { GitHubError, UsageError } from '../errors.ts'
import { createGitHubClient } from '../github.ts'
import { pushRunsBranch, runnerMachine, upsertRunsPr } from '../runs-pr.ts'
import { findWorkspaceRoot, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

export const RUNS_PR_USAGE = `Usage: report runs-pr --repo OWNER/REPO [--base main] [--branch benchmarks/runs] [--dir benchmarks]
  Brings the runs recorded on --base into the repository without pushing to it: the history lines
  the base lacks (from the bot branch and the working tree) are committed as one commit on top of
  the base and force-pushed to --branch, and ONE pull request "benchmarks: run of <date> on
  <machine>" is opened or updated. Nothing pending: no push, no request. Token from GITHUB_TOKEN;
  API from GITHUB_API_URL.
`

export const RUNNER_MACHINE_USAGE = `Usage: report runner-machine
  Prints BENCH_MACHINE=<name> for a self-hosted runner (its RUNNER_NAME, sanitised), nothing on a
  GitHub-hosted one (the harness then names the machine from its hardware), ready for $GITHUB_ENV.
`

/** `report runs-pr`: the dated-run bot pull request. */
export async function runsPrCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      repo: { type: 'string' },
      base: { type: 'string', default: 'main' },
      branch: { type: 'string', default: 'benchmarks/runs' },
      dir: { type: 'string', default: 'benchmarks' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(RUNS_PR_USAGE)
    return 0
  }
  const [owner, repo] = (values.repo ?? '').split('/')
  if (!owner || !repo)
    throw new UsageError(`report: expected --repo OWNER/REPO, got ${JSON.stringify(values.repo ?? '')}`)
  if (values.branch === values.base)
    throw new UsageError(`report: --branch must differ from --base (${values.base}): runs-pr never pushes to the base`)
  const root = findWorkspaceRoot(io.cwd)
  try {
    // Check the token before pushing, so a missing one fails before the branch moves.
    const octokit = createGitHubClient({ token: process.env.GITHUB_TOKEN ?? '', onWarning: (m) => io.stderr(`${m}\n`) })
    const plan = pushRunsBranch({ repo: root, base: values.base, branch: values.branch, dir: values.dir })
    if (plan === null) {
      io.stdout(`report: ${values.base} already holds every run; nothing to push\n`)
      return 0
    }
    const pr = await upsertRunsPr(octokit, {
      owner,
      repo,
      base: values.base,
      branch: values.branch,
      title: plan.title,
      body: plan.body,
    })
    io.stdout(
      `report: ${pr.action} pull request #${pr.number} "${plan.title}" (${plan.runs.length} run(s)) ${pr.url}\n`,
    )
    return 0
  } catch (error) {
    // As `report github`: GitHub failing is 1; a refused token or an unknown repository is 2.
    if (error instanceof GitHubError && (error.code === 'GITHUB_FAILED' || error.code === 'GITHUB_RATE_LIMITED')) {
      io.stderr(`${error.message}\n`)
      return 1
    }
    throw error
  }
}

/** `report runner-machine`: the BENCH_MACHINE line of this runner. */
export function runnerMachineCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv, { help: { type: 'boolean', short: 'h', default: false } }, false)
  if (values.help) io.stdout(RUNNER_MACHINE_USAGE)
  else {
    const name = runnerMachine(process.env)
    if (name !== null) io.stdout(`BENCH_MACHINE=${name}\n`)
  }
  return Promise.resolve(0)
}
