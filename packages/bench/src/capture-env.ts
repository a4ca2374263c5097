import { execFileSync } from 'node:child_process'
import os from 'node:os'
import type { EnvInfo, GitInfo } from './types.ts'

/**
 * Machine facts of this process for the record's `env`.
 *
 * @param glibcTunables - The `GLIBC_TUNABLES` the measuring child ran with (null when none).
 * @returns The environment; fields the platform cannot tell are null.
 */
export function captureEnv(glibcTunables: string | null): EnvInfo {
  const cpus = os.cpus()
  const ci = process.env['CI']
  return {
    os: os.platform(),
    os_release: os.release(),
    arch: os.arch(),
    cpu_model: cpus[0]?.model.trim() ?? null,
    cores: os.availableParallelism?.() ?? (cpus.length || null),
    mem_bytes: os.totalmem(),
    node: process.versions.node,
    v8: process.versions.v8,
    ci: ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false',
    glibc_tunables: glibcTunables,
  }
}

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

/**
 * Commit, branch and dirtiness of the git work tree at `cwd`; all null when it is not one.
 * A detached HEAD (CI checkouts) takes its branch from `GITHUB_HEAD_REF` / `GITHUB_REF_NAME` when set.
 *
 * @param cwd - A folder inside the work tree.
 * @returns The git facts.
 */
export function captureGit(cwd: string): GitInfo {
  const commit = git(cwd, ['rev-parse', 'HEAD'])
  if (commit === null) return { commit: null, branch: null, dirty: null }
  const branch =
    git(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']) ||
    process.env['GITHUB_HEAD_REF'] ||
    process.env['GITHUB_REF_NAME'] ||
    null
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no'])
  return { commit, branch, dirty: status === null ? null : status !== '' }
}
