import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Octokit } from 'octokit'
import { ReportError } from './errors.ts'
import { toGitHubError } from './github.ts'

/** One run found in the pending files, for the pull request's title and body. */
export interface PendingRun {
  /** `run.id` */
  id: string
  /** `run.started_at` */
  startedAt: string
  /** `run.label` */
  label: string
  /** `run.git.commit`, or null. */
  commit: string | null
  /** The machine's readable name (`machine.name`; `BENCH_MACHINE` on a dedicated runner). */
  machine: string
  /** Records (cases) of the run in the pending lines. */
  cases: number
}

/** What the benchmarks pull request must carry. */
export interface RunsPrPlan {
  /** Dated files to write on the bot branch (base content plus the lines it lacks), by file name. */
  files: Record<string, string>
  /** The runs of the lines the base lacks, oldest first. */
  runs: PendingRun[]
  /** `benchmarks: run of 2026-12-07 on ci-runner-a` (the newest run). */
  title: string
  /** Markdown body listing every pending run. */
  body: string
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '')
}

/**
 * Decides what the benchmarks pull request carries: every line of a dated `*.ndjson` file that the
 * base branch lacks, from the bot branch (runs not merged yet) and from this job's new run. History
 * files are append-only, so a file becomes the base's lines followed by the missing ones, in order.
 * Returns null when the base already holds everything.
 * @param base - the base branch's history files (name → content).
 * @param sources - the bot branch's files, then the working tree's (name → content).
 */
export function planRunsPr(base: Record<string, string>, sources: Array<Record<string, string>>): RunsPrPlan | null {
  const files: Record<string, string> = {}
  const added: string[] = []
  for (const source of sources)
    for (const [name, text] of Object.entries(source).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!name.endsWith('.ndjson')) continue
      const have = lines(files[name] ?? base[name] ?? '')
      const seen = new Set(have)
      const extra = lines(text).filter((l) => !seen.has(l) && (seen.add(l), true))
      if (extra.length === 0) continue
      files[name] = `${[...have, ...extra].join('\n')}\n`
      added.push(...extra)
    }
  if (added.length === 0) return null
  const runs = new Map<string, PendingRun>()
  for (const line of added) {
    let r: {
      run?: { id?: string; started_at?: string; label?: string; git?: { commit?: string | null } }
      machine?: { name?: string }
    }
    try {
      r = JSON.parse(line) as typeof r
    } catch {
      throw new ReportError('REPORT_BAD_LINE', `runs-pr: a pending history line is not JSON: ${line.slice(0, 80)}`)
    }
    const id = r.run?.id ?? '?'
    const e = runs.get(id) ?? {
      id,
      startedAt: r.run?.started_at ?? '',
      label: r.run?.label ?? '?',
      commit: r.run?.git?.commit ?? null,
      machine: r.machine?.name ?? 'an unnamed machine (v1 record)',
      cases: 0,
    }
    e.cases++
    runs.set(id, e)
  }
  const sorted = [...runs.values()].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))
  const newest = sorted.at(-1)!
  const title = `benchmarks: run of ${newest.startedAt.slice(0, 10)} on ${newest.machine}`
  const body = [
    `Benchmark runs recorded on \`main\`, waiting to join the history in \`benchmarks/\`. This pull request is kept up to date by the bench workflow (like changesets' Version Packages pull request): every new run on \`main\` is added here until it is merged.`,
    '',
    '| run | started | machine | label | commit | cases |',
    '| --- | --- | --- | --- | --- | --- |',
    ...sorted.map(
      (r) =>
        `| \`${r.id}\` | ${r.startedAt} | ${r.machine} | ${r.label} | ${r.commit ? `\`${r.commit.slice(0, 10)}\`` : '—'} | ${r.cases} |`,
    ),
    '',
    `Files: ${Object.keys(files)
      .sort()
      .map((f) => `\`benchmarks/${f}\``)
      .join(', ')}.`,
  ].join('\n')
  return { files, runs: sorted, title, body }
}

function git(repo: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    input: options.input,
    env: options.env ? { ...process.env, ...options.env } : process.env,
  })
  if (r.status !== 0)
    throw new ReportError('REPORT_GIT', `runs-pr: git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
  return r.stdout
}

/** The `*.ndjson` files of `dir` at a git ref (name → content); empty when the ref does not exist. */
function filesAtRef(repo: string, ref: string, dir: string): Record<string, string> {
  const ok = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo })
  if (ok.status !== 0) return {}
  const out: Record<string, string> = {}
  for (const path of git(repo, ['ls-tree', '--name-only', `${ref}:${dir}`]).split('\n')) {
    if (path.endsWith('.ndjson')) out[path] = git(repo, ['show', `${ref}:${dir}/${path}`])
  }
  return out
}

/** Options of {@link pushRunsBranch}. */
export interface PushRunsBranchOptions {
  /** The repository (a clone whose `origin` is the GitHub repository). */
  repo: string
  /** The protected branch the pull request targets. @default 'main' */
  base?: string
  /** The bot branch. @default 'benchmarks/runs' */
  branch?: string
  /** The history folder, relative to the repository. @default 'benchmarks' */
  dir?: string
}

/**
 * Fetches `base` and the bot branch from `origin`, plans the pull request ({@link planRunsPr}: the base's
 * history vs the bot branch's and the working tree's) and, when something is pending, force-pushes the
 * bot branch as ONE commit on top of the base holding the pending files (rebuilt from the base each
 * time, as changesets rebuilds its version branch). Never pushes to `base`.
 * @returns the plan, or null when the base already holds every run.
 */
export function pushRunsBranch(o: PushRunsBranchOptions): RunsPrPlan | null {
  const base = o.base ?? 'main'
  const branch = o.branch ?? 'benchmarks/runs'
  const dir = o.dir ?? 'benchmarks'
  git(o.repo, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${base}:refs/remotes/origin/${base}`])
  // The bot branch may not exist yet: fetch it if it does.
  const remote = git(o.repo, ['ls-remote', '--heads', 'origin', branch]).trim()
  if (remote !== '')
    git(o.repo, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`])
  const work: Record<string, string> = {}
  const abs = join(o.repo, dir)
  if (existsSync(abs))
    for (const f of readdirSync(abs)) if (f.endsWith('.ndjson')) work[f] = readFileSync(join(abs, f), 'utf8')
  const plan = planRunsPr(filesAtRef(o.repo, `origin/${base}`, dir), [
    remote === '' ? {} : filesAtRef(o.repo, `origin/${branch}`, dir),
    work,
  ])
  if (plan === null) return null
  // Build the commit in a private index so the working tree and the checkout's index stay untouched.
  const env = { GIT_INDEX_FILE: join(o.repo, '.git', `runs-pr-index-${process.pid}`) }
  git(o.repo, ['read-tree', `origin/${base}`], { env })
  for (const [name, text] of Object.entries(plan.files)) {
    const sha = git(o.repo, ['hash-object', '-w', '--stdin'], { input: text }).trim()
    git(o.repo, ['update-index', '--add', '--cacheinfo', `100644,${sha},${dir}/${name}`], { env })
  }
  const tree = git(o.repo, ['write-tree'], { env }).trim()
  const commit = git(o.repo, ['commit-tree', tree, '-p', `origin/${base}`, '-m', plan.title], {
    env: {
      ...env,
      GIT_AUTHOR_NAME: 'ttapi-bench',
      GIT_AUTHOR_EMAIL: 'ttapi-bench@users.noreply.github.com',
      GIT_COMMITTER_NAME: 'ttapi-bench',
      GIT_COMMITTER_EMAIL: 'ttapi-bench@users.noreply.github.com',
    },
  }).trim()
  git(o.repo, ['push', '--quiet', '--force', 'origin', `${commit}:refs/heads/${branch}`])
  return plan
}

/**
 * Opens the benchmarks pull request from `branch` into `base`, or updates the title and body of the
 * open one (one pull request at a time, like changesets' version PR).
 * @returns whether it was created or updated, its number and URL.
 */
export async function upsertRunsPr(
  octokit: Octokit,
  o: { owner: string; repo: string; base: string; branch: string; title: string; body: string },
): Promise<{ action: 'created' | 'updated'; number: number; url: string }> {
  const what = `benchmarks pull request ${o.owner}/${o.repo} ${o.branch} → ${o.base}`
  try {
    const open = await octokit.rest.pulls.list({
      owner: o.owner,
      repo: o.repo,
      state: 'open',
      head: `${o.owner}:${o.branch}`,
      base: o.base,
    })
    const existing = open.data[0]
    if (existing !== undefined) {
      const res = await octokit.rest.pulls.update({
        owner: o.owner,
        repo: o.repo,
        pull_number: existing.number,
        title: o.title,
        body: o.body,
      })
      return { action: 'updated', number: res.data.number, url: res.data.html_url }
    }
    const res = await octokit.rest.pulls.create({
      owner: o.owner,
      repo: o.repo,
      head: o.branch,
      base: o.base,
      title: o.title,
      body: o.body,
    })
    return { action: 'created', number: res.data.number, url: res.data.html_url }
  } catch (error) {
    throw toGitHubError(error, what)
  }
}

/**
 * The `BENCH_MACHINE` of a runner: a self-hosted runner's name (sanitised to `[A-Za-z0-9._-]`), or
 * null on GitHub-hosted runners, whose CPU model varies from job to job: there the harness's hardware
 * hash names the machine, so runs of different CPU models are never judged against each other.
 * @param env - the job's environment (`RUNNER_ENVIRONMENT`, `RUNNER_NAME`).
 */
export function runnerMachine(env: NodeJS.ProcessEnv): string | null {
  if (env.RUNNER_ENVIRONMENT !== 'self-hosted' || !env.RUNNER_NAME) return null
  return env.RUNNER_NAME.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || null
}
