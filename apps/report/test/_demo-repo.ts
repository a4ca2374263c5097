// A throw-away git repository for the end-to-end tests of `report compare`, `calibrate` and `bisect`: a copy of
// the real harness plus a tiny package `demo` whose bench file the test writes. The worktrees go under a folder
// whose parent holds node_modules links, so they resolve the harness's dependencies without an install.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tempDir } from './_runs.ts'

const benchPkg = fileURLToPath(new URL('../../../packages/bench/', import.meta.url))

/** Runs git in `cwd` with a throw-away identity; its output, trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim()
}

/** What {@link demoRepo} writes. */
export interface DemoRepoOptions {
  /** Prefix of the temp folder. */
  prefix: string
  /** The root package's name. */
  name: string
  /** `packages/demo/work.json`: how much work the case does. */
  work: string
  /** `packages/demo/bench/demo.bench.ts`. */
  bench: string
  /** Another file at the repository's root, by name (README.md, NOTES.md). */
  readme: [string, string]
}

/**
 * root/repo: a git repository on `main` with the harness and package `demo`, committed as `base`; root/tmp: where
 * the worktrees go.
 */
export function demoRepo(o: DemoRepoOptions): { repo: string; tmp: string; demo: string } {
  const root = tempDir(o.prefix)
  const modules = join(root, 'node_modules')
  mkdirSync(modules)
  for (const dep of readdirSync(join(benchPkg, 'node_modules')).filter((d) => !d.startsWith('.')))
    symlinkSync(join(benchPkg, 'node_modules', dep), join(modules, dep))
  const repo = join(root, 'repo')
  mkdirSync(repo)
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: o.name, private: true, type: 'module' }))
  writeFileSync(join(repo, '.gitignore'), 'benchmarks/\n')
  for (const part of ['bin', 'src', 'package.json'])
    cpSync(join(benchPkg, part), join(repo, 'packages', 'bench', part), { recursive: true })
  const demo = join(repo, 'packages', 'demo')
  mkdirSync(join(demo, 'bench'), { recursive: true })
  writeFileSync(join(demo, 'package.json'), JSON.stringify({ name: '@t/demo', type: 'module' }))
  writeFileSync(join(demo, 'work.json'), o.work)
  writeFileSync(join(demo, 'bench', 'demo.bench.ts'), o.bench)
  writeFileSync(join(repo, o.readme[0]), o.readme[1])
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-qm', 'base')
  const tmp = join(root, 'tmp')
  mkdirSync(tmp)
  return { repo, tmp, demo }
}
