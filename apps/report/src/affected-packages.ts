import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ReportError } from './errors.ts'

/** Directories whose change benches everything: the harness measures every case, the report judges every case. */
export const BENCH_EVERYTHING_DIRS: readonly string[] = ['packages/bench', 'apps/report']

/** Root files every package's build or measurement reads: a change to one benches everything. */
export const ROOT_CONFIG_FILES: readonly string[] = [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  '.npmrc',
  'tsconfig.base.json',
  'turbo.json',
  'ttapi.report.json',
]

/** A workspace package as the selection sees it. */
export interface WorkspacePackage {
  /** `name` of its package.json. */
  name: string
  /** Directory relative to the repository root, `/`-separated. */
  dir: string
  /** Names of the workspace packages it depends on (`workspace:` ranges, any dependency field). */
  deps: string[]
}

/** A package the gate benches, and why. */
export interface AffectedPackage {
  /** Package name. */
  name: string
  /** Why it is benched: `changed: src/a.ts, src/b.ts` or `depends on @ttapi/collector`. */
  why: string
  /** Its suites (from `defineSuite({ suite: '…' })` in `bench/*.bench.ts`); empty when it has no bench. */
  suites: string[]
}

/** What a pull request's gate benches. */
export interface AffectedSelection {
  /** `all`: every case; `some`: the cases of `packages`; `none`: no package input changed. */
  mode: 'all' | 'some' | 'none'
  /** Why everything is benched (`mode: 'all'`), else null. */
  allBecause: string | null
  /** The packages benched (every workspace package when `mode` is `all`), in workspace order. */
  packages: AffectedPackage[]
  /** The workspace packages not benched. */
  skipped: string[]
  /** The harness `--filter` selecting the packages' suites, or null for every case (or none). */
  filter: string | null
  /** Files changed between the merge base and head. */
  changedFiles: string[]
}

function git(repo: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
  if (r.status !== 0)
    throw new ReportError('REPORT_GIT', `affected: git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
  return r.stdout
}

/** The package globs of `pnpm-workspace.yaml` (`packages:` list; `dir/*` and plain directories). */
function workspaceGlobs(root: string): string[] {
  const file = join(root, 'pnpm-workspace.yaml')
  if (!existsSync(file)) throw new ReportError('REPORT_NO_WORKSPACE', `affected: no pnpm-workspace.yaml in ${root}`)
  const out: string[] = []
  let inPackages = false
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line)
    else if (inPackages) {
      const m = /^\s+-\s+['"]?([^'"#\s]+)['"]?/.exec(line)
      if (m) out.push(m[1]!)
    }
  }
  return out
}

/**
 * The workspace packages of the repository at `root`: `pnpm-workspace.yaml`'s globs (`dir/*` or a
 * directory), each with its `workspace:` dependencies.
 * @param root - the repository root.
 */
export function readWorkspace(root: string): WorkspacePackage[] {
  const dirs: string[] = []
  for (const glob of workspaceGlobs(root)) {
    if (glob.startsWith('!')) continue
    if (glob.endsWith('/*')) {
      const base = glob.slice(0, -2)
      if (!existsSync(join(root, base))) continue
      for (const d of readdirSync(join(root, base)).sort()) dirs.push(`${base}/${d}`)
    } else dirs.push(glob.replace(/\/$/, ''))
  }
  const out: WorkspacePackage[] = []
  for (const dir of dirs) {
    const file = join(root, dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | string | undefined>
    if (typeof pkg.name !== 'string') continue
    const deps = new Set<string>()
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const d = pkg[field]
      if (typeof d === 'object')
        for (const [n, v] of Object.entries(d)) if (String(v).startsWith('workspace:')) deps.add(n)
    }
    out.push({ name: pkg.name, dir, deps: [...deps].sort() })
  }
  return out
}

/** Suite names of a package's bench files, or null when a bench file names its suite in a way this cannot read. */
function suitesOf(root: string, dir: string): string[] | null {
  const bench = join(root, dir, 'bench')
  if (!existsSync(bench)) return []
  const suites = new Set<string>()
  for (const f of readdirSync(bench).sort()) {
    if (!f.endsWith('.bench.ts')) continue
    const m = /defineSuite\(\s*\{\s*suite:\s*['"]([^'"]+)['"]/.exec(readFileSync(join(bench, f), 'utf8'))
    if (!m) return null
    suites.add(m[1]!)
  }
  return [...suites].sort()
}

/** Whether a changed file inside a package is an input of its benchmarks (tests and docs are not). */
function isBenchInput(pathInPackage: string): boolean {
  return !pathInPackage.startsWith('test/') && !/\.md$/i.test(pathInPackage)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function listFiles(files: string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`
}

/**
 * The packages a pull request's benchmarks must cover: those with a changed input between the merge
 * base of `base` and `head`, plus every package depending on one (transitively). A change to the
 * harness (`packages/bench`), the report (`apps/report`) or a root config file benches everything.
 * @param repo - the repository root (a git work tree holding `pnpm-workspace.yaml`).
 * @param base - the base ref (e.g. `origin/main`); the merge base with `head` is used, as GitHub's diff does.
 * @param head - the head ref. @default 'HEAD'
 * @example affectedPackages('.', 'origin/main').filter // '^(?:cache|cache_codec|pipeline|symbol_collection)/'
 */
export function affectedPackages(repo: string, base: string, head = 'HEAD'): AffectedSelection {
  const mergeBase = git(repo, ['merge-base', base, head]).trim()
  const changedFiles = git(repo, ['diff', '--name-only', '--no-renames', mergeBase, head])
    .split('\n')
    .filter((l) => l !== '')
  const workspace = readWorkspace(repo)
  const owner = (file: string): WorkspacePackage | undefined =>
    workspace.find((p) => file === p.dir || file.startsWith(`${p.dir}/`))

  let allBecause: string | null = null
  const direct = new Map<string, string[]>()
  for (const file of changedFiles) {
    const everything = BENCH_EVERYTHING_DIRS.find((d) => file.startsWith(`${d}/`))
    if (everything !== undefined) {
      allBecause ??= `${file} changed (${everything === 'packages/bench' ? 'the harness' : 'the report'})`
      continue
    }
    if (ROOT_CONFIG_FILES.includes(file)) {
      allBecause ??= `${file} changed (root config)`
      continue
    }
    const p = owner(file)
    if (p === undefined) continue
    const inPackage = file.slice(p.dir.length + 1)
    if (!isBenchInput(inPackage)) continue
    direct.set(p.name, [...(direct.get(p.name) ?? []), inPackage])
  }

  const suites = new Map(workspace.map((p) => [p.name, suitesOf(repo, p.dir)]))
  const whyOf = new Map<string, string>()
  if (allBecause === null) {
    for (const [name, files] of direct) whyOf.set(name, `changed: ${listFiles(files)}`)
    // Dependents, transitively: walk the reverse edges from each changed package.
    let grew = true
    while (grew) {
      grew = false
      for (const p of workspace) {
        if (whyOf.has(p.name)) continue
        const via = p.deps.filter((d) => whyOf.has(d))
        if (via.length === 0) continue
        whyOf.set(p.name, `depends on ${via.join(', ')}`)
        grew = true
      }
    }
    const unreadable = workspace.find((p) => whyOf.has(p.name) && suites.get(p.name) === null)
    if (unreadable !== undefined)
      allBecause = `the suites of ${unreadable.name} could not be read from its bench files (defineSuite({ suite: '…' }))`
  }

  if (allBecause !== null)
    return {
      mode: 'all',
      allBecause,
      packages: workspace.map((p) => ({
        name: p.name,
        why: 'everything is benched',
        suites: suites.get(p.name) ?? [],
      })),
      skipped: [],
      filter: null,
      changedFiles,
    }
  const packages = workspace
    .filter((p) => whyOf.has(p.name))
    .map((p) => ({ name: p.name, why: whyOf.get(p.name)!, suites: suites.get(p.name) ?? [] }))
  const names = [...new Set(packages.flatMap((p) => p.suites))].sort()
  return {
    mode: names.length === 0 ? 'none' : 'some',
    allBecause: null,
    packages,
    // A package without benchmarks (the corpus downloader) is neither benched nor "not run".
    skipped: workspace.filter((p) => !whyOf.has(p.name) && suites.get(p.name)?.length !== 0).map((p) => p.name),
    filter: names.length === 0 ? null : `^(?:${names.map(escapeRegExp).join('|')})/`,
    changedFiles,
  }
}

/**
 * The Markdown lines of the PR comment that say what was benched and why.
 * @param s - the selection.
 */
export function affectedMarkdown(s: AffectedSelection): string {
  if (s.mode === 'all') return `**Benched: every package**, because ${s.allBecause}.`
  const benched = s.packages.filter((p) => p.suites.length > 0)
  const noBench = s.packages.filter((p) => p.suites.length === 0)
  if (s.mode === 'none')
    return s.packages.length === 0
      ? '**Benched: nothing**: no package input changed (only tests, docs or files outside the packages).'
      : `**Benched: nothing**: the affected packages (${s.packages.map((p) => `\`${p.name}\``).join(', ')}) have no benchmarks.`
  const lines = [
    `**Benched: ${benched.length} of ${s.packages.length + s.skipped.length} packages** (the others are "not run"; a partial run):`,
    '',
    ...benched.map((p) => `- \`${p.name}\` (${p.suites.join(', ')}): ${p.why}`),
  ]
  if (noBench.length > 0)
    lines.push(`- affected but without benchmarks: ${noBench.map((p) => `\`${p.name}\``).join(', ')}`)
  if (s.skipped.length > 0) lines.push(`- not affected: ${s.skipped.map((p) => `\`${p}\``).join(', ')}`)
  return lines.join('\n')
}
