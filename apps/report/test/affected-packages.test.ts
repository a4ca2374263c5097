// The affected-package selection on a real temp git repository whose workspace mirrors this repo's.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { affectedMarkdown, affectedPackages, readWorkspace } from '../src/affected-packages.ts'
import { main } from '../src/cli.ts'
import { tempDir } from './_runs.ts'

/**
 * This repository's workspace graph (packages, their workspace: dependencies, their suites). The
 * first test checks it against the real package.json files, so the fixture cannot drift from them.
 */
const GRAPH: Record<string, { dir: string; deps: string[]; suites: string[] }> = {
  '@ttapi/analysis': {
    dir: 'packages/analysis',
    deps: ['@ttapi/bench', '@ttapi/columnar-io', '@ttapi/corpus'],
    suites: ['analysis'],
  },
  '@ttapi/bench': { dir: 'packages/bench', deps: [], suites: ['harness'] },
  '@ttapi/cache': { dir: 'packages/cache', deps: ['@ttapi/columnar-io'], suites: [] },
  '@ttapi/collector': {
    dir: 'packages/collector',
    deps: ['@ttapi/bench', '@ttapi/cache', '@ttapi/columnar-io', '@ttapi/corpus'],
    suites: ['cache', 'cache_codec', 'symbol_collection'],
  },
  '@ttapi/columnar-io': {
    dir: 'packages/columnar-io',
    deps: ['@ttapi/bench', '@ttapi/corpus'],
    suites: ['columnar_io'],
  },
  '@ttapi/corpus': { dir: 'packages/corpus', deps: [], suites: [] },
  '@ttapi/pipeline': {
    dir: 'apps/pipeline',
    deps: [
      '@ttapi/analysis',
      '@ttapi/bench',
      '@ttapi/cache',
      '@ttapi/collector',
      '@ttapi/columnar-io',
      '@ttapi/corpus',
    ],
    suites: ['pipeline'],
  },
  '@ttapi/report': { dir: 'apps/report', deps: ['@ttapi/bench'], suites: ['report'] },
}

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..')

function sh(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true })
  writeFileSync(join(root, file), text)
}

let repo: string

beforeAll(() => {
  repo = tempDir('ttapi-affected-')
  write(repo, 'package.json', JSON.stringify({ name: 'ttapi', private: true }))
  write(repo, 'pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - apps/*\n\nallowBuilds:\n  esbuild: true\n')
  write(repo, 'tsconfig.base.json', '{}\n')
  write(repo, 'README.md', '# ttapi\n')
  for (const [name, p] of Object.entries(GRAPH)) {
    const deps = Object.fromEntries(p.deps.map((d) => [d, 'workspace:*']))
    write(repo, `${p.dir}/package.json`, JSON.stringify({ name, version: '0.0.0', devDependencies: deps }))
    write(repo, `${p.dir}/src/index.ts`, 'export {}\n')
    write(repo, `${p.dir}/test/a.test.ts`, '\n')
    p.suites.forEach((s, i) =>
      write(
        repo,
        `${p.dir}/bench/s${i}.bench.ts`,
        `const suite: SuiteDefinition = defineSuite({\n  suite: '${s}',\n  cases: [],\n})\nexport default suite\n`,
      ),
    )
  }
  sh(repo, ['init', '-q', '-b', 'main'])
  sh(repo, ['add', '-A'])
  sh(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'base'])
})

/** Commits `files` on a new branch off main and returns the selection against main. */
function change(branch: string, files: Record<string, string>): ReturnType<typeof affectedPackages> {
  sh(repo, ['checkout', '-q', '-B', branch, 'main'])
  for (const [f, t] of Object.entries(files)) write(repo, f, t)
  sh(repo, ['add', '-A'])
  sh(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', branch])
  // main moves on after the branch point: its own changes must not count (the merge base is used).
  sh(repo, ['checkout', '-q', 'main'])
  write(repo, 'packages/analysis/src/later.ts', `export const t = ${JSON.stringify(branch)}\n`)
  sh(repo, ['add', '-A'])
  sh(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', `main after ${branch}`])
  return affectedPackages(repo, 'main', branch)
}

describe('affectedPackages', () => {
  it("mirrors this repository's workspace graph", () => {
    const real = readWorkspace(REPO_ROOT)
    expect(Object.fromEntries(real.map((p) => [p.name, { dir: p.dir, deps: p.deps }]))).toEqual(
      Object.fromEntries(Object.entries(GRAPH).map(([n, p]) => [n, { dir: p.dir, deps: p.deps }])),
    )
  })

  it('a change in collector benches collector (with the cached-collection suites) and pipeline', () => {
    const s = change('collector-change', { 'packages/collector/src/retry.ts': 'export const r = 1\n' })
    expect(s.mode).toBe('some')
    expect(s.changedFiles).toEqual(['packages/collector/src/retry.ts'])
    expect(s.packages).toEqual([
      {
        name: '@ttapi/collector',
        why: 'changed: src/retry.ts',
        suites: ['cache', 'cache_codec', 'symbol_collection'],
      },
      { name: '@ttapi/pipeline', why: 'depends on @ttapi/collector', suites: ['pipeline'] },
    ])
    // @ttapi/cache has no suite of its own, so it is not listed as skipped.
    expect(s.skipped).toEqual(['@ttapi/analysis', '@ttapi/bench', '@ttapi/columnar-io', '@ttapi/report'])
    const re = new RegExp(s.filter!)
    for (const c of ['symbol_collection/collect_500', 'cache/get_hot', 'cache_codec/v8', 'pipeline/cold'])
      expect(re.test(c), c).toBe(true)
    for (const c of ['analysis/bundle', 'columnar_io/csv_import', 'harness/empty', 'report/markdown', 'xcache/a'])
      expect(re.test(c), c).toBe(false)
    const md = affectedMarkdown(s)
    expect(md).toContain('**Benched: 2 of 6 packages**')
    expect(md).toContain('- `@ttapi/collector` (cache, cache_codec, symbol_collection): changed: src/retry.ts')
  })

  it('a change in the harness benches everything', () => {
    const s = change('harness-change', { 'packages/bench/src/measure-case.ts': 'export {}\n' })
    expect(s.mode).toBe('all')
    expect(s.filter).toBeNull()
    expect(s.allBecause).toBe('packages/bench/src/measure-case.ts changed (the harness)')
    expect(s.packages.map((p) => p.name).sort()).toEqual(Object.keys(GRAPH).sort())
    expect(affectedMarkdown(s)).toBe(
      '**Benched: every package**, because packages/bench/src/measure-case.ts changed (the harness).',
    )
  })

  it('a change in the report or a root config file benches everything', () => {
    expect(change('report-change', { 'apps/report/src/verdict.ts': 'export {}\n' }).allBecause).toBe(
      'apps/report/src/verdict.ts changed (the report)',
    )
    expect(change('config-change', { 'tsconfig.base.json': '{"x":1}\n' }).allBecause).toBe(
      'tsconfig.base.json changed (root config)',
    )
  })

  it('tests and docs are not benchmark inputs', () => {
    const s = change('docs-change', {
      'README.md': '# ttapi!\n',
      'packages/cache/test/a.test.ts': '// more\n',
      'packages/cache/README.md': 'x\n',
    })
    expect(s).toMatchObject({ mode: 'none', packages: [], filter: null })
    expect(affectedMarkdown(s)).toContain('**Benched: nothing**: no package input changed')
  })

  it('a change in columnar-io reaches every package depending on it, directly or not', () => {
    const s = change('columnar-change', { 'packages/columnar-io/src/csv/read-csv.ts': 'export {}\n' })
    expect(s.packages.map((p) => p.name).sort()).toEqual([
      '@ttapi/analysis',
      '@ttapi/cache',
      '@ttapi/collector',
      '@ttapi/columnar-io',
      '@ttapi/pipeline',
    ])
  })

  it('`report affected` prints the step outputs and writes the selection', async () => {
    sh(repo, ['checkout', '-q', 'collector-change'])
    const out: string[] = []
    const err: string[] = []
    const code = await main(['affected', '--base', 'main', '--out', 'affected.json'], {
      stdout: (s) => out.push(s),
      stderr: (s) => err.push(s),
      cwd: repo,
      color: false,
    })
    expect(err.join('')).toBe('')
    expect(code).toBe(0)
    expect(out.join('')).toBe('mode=some\nfilter=^(?:cache|cache_codec|pipeline|symbol_collection)/\n')
  })

  it('a bad base ref is a one-line usage error (exit 2)', async () => {
    const err: string[] = []
    const code = await main(['affected', '--base', 'no-such-ref'], {
      stdout: () => {},
      stderr: (s) => err.push(s),
      cwd: repo,
      color: false,
    })
    expect(code).toBe(2)
    expect(err.join('')).toMatch(/^affected: git merge-base no-such-ref HEAD failed: .+\n$/)
  })
})
