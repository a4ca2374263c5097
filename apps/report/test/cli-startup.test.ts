import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import { tempDir } from './_runs.ts'

const pkgDir = fileURLToPath(new URL('..', import.meta.url))
const cli = pathToFileURL(join(pkgDir, 'src/cli.ts')).href

/**
 * Runs `report ARGS` from source in a fresh node (tsx's ESM hooks) and returns the shared objects the process
 * had loaded when it finished: DuckDB's native addon shows there once anything imported `@duckdb/node-api`.
 */
function sharedObjectsAfter(args: string[]): string[] {
  const script = [
    `const { main } = await import(${JSON.stringify(cli)})`,
    `const io = { stdout: () => {}, stderr: (s) => process.stderr.write(s), cwd: process.cwd(), color: false }`,
    `const code = await main(${JSON.stringify(args)}, io)`,
    `if (code !== 0) throw new Error('report exited ' + code)`,
    `console.log(JSON.stringify(process.report.getReport().sharedObjects))`,
  ].join('\n')
  const out = execFileSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], {
    cwd: pkgDir,
    encoding: 'utf8',
  })
  return JSON.parse(out) as string[]
}

function capture(cwd: string): { io: CommandIO; out: string[] } {
  const out: string[] = []
  return { io: { stdout: (s) => out.push(s), stderr: () => {}, cwd, color: false }, out }
}

describe('the CLI loads only the command it runs', () => {
  const dir = tempDir()
  writeSyntheticHistory(dir, { seed: 3, days: 4, labels: ['main'], cases: 6, samples: 10 })

  it('`report --help`, `list`, `report` (two runs), and `history CASE` / `--format html` over cached aggregates do not load DuckDB; computing the aggregates does', () => {
    const duckdb = (objects: string[]) => objects.some((o) => /duckdb/i.test(o))
    expect(duckdb(sharedObjectsAfter(['--help']))).toBe(false)
    expect(duckdb(sharedObjectsAfter(['list', '--history', dir]))).toBe(false)
    expect(duckdb(sharedObjectsAfter(['--history', dir]))).toBe(false)
    // The reference that the probe sees DuckDB at all: the first trends command computes the run aggregates with it.
    expect(duckdb(sharedObjectsAfter(['changepoints', '--history', dir]))).toBe(true)
    // Then they are cached: the trends read them without DuckDB.
    expect(duckdb(sharedObjectsAfter(['history', 'case_1', '--history', dir]))).toBe(false)
    expect(duckdb(sharedObjectsAfter(['--history', dir, '--format', 'html']))).toBe(false)
  }, 60_000)

  it('the install-time bundle prints what the source prints (list, report json, html with its uPlot)', async () => {
    const out = tempDir('ttapi-report-bundle-')
    execFileSync(process.execPath, [join(pkgDir, 'scripts/build-cli.js'), out], { stdio: 'pipe' })
    const bundle = (await import(pathToFileURL(join(out, 'cli.js')).href)) as { main: typeof main }
    const runs: [string, (s: string) => string][] = [
      [`list --history ${dir} --format json`, (s) => s],
      [`--history ${dir} --format json`, (s) => s.replace(/"generatedAt": "[^"]*"/, '')],
      [`--history ${dir} --format html`, (s) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '')],
    ]
    for (const [args, normalise] of runs) {
      const fromSource = capture(dir)
      const fromBundle = capture(dir)
      expect(await main(args.split(' '), fromSource.io), args).toBe(0)
      expect(await bundle.main(args.split(' '), fromBundle.io), args).toBe(0)
      expect(normalise(fromBundle.out.join('')), args).toBe(normalise(fromSource.out.join('')))
      if (args.endsWith('html')) expect(fromBundle.out.join('')).toContain('uPlot')
    }
  }, 60_000)
})

describe('the bin (scripts/launch-cli.js at the root)', () => {
  it('runs a fresh bundle; rebuilds a stale one once, or runs the source when it cannot, printing what the source prints', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 5, days: 3, labels: ['main'], cases: 4, samples: 10 })
    // A clone's layout in a temp dir: the root's launcher and bundler, the app's bin, package.json and sources, the
    // app's and the root's dependencies linked (the rebuild bundles the sources; the fallback runs them through tsx).
    const root = tempDir('ttapi-report-bin-')
    const pkg = join(root, 'apps', 'report')
    const workspace = join(pkgDir, '..', '..')
    mkdirSync(join(root, 'scripts'))
    mkdirSync(join(pkg, 'bin'), { recursive: true })
    mkdirSync(join(pkg, 'scripts'))
    for (const f of ['launch-cli.js', 'bundle-cli.js'])
      copyFileSync(join(workspace, 'scripts', f), join(root, 'scripts', f))
    copyFileSync(join(pkgDir, 'bin', 'report.js'), join(pkg, 'bin', 'report.js'))
    copyFileSync(join(pkgDir, 'package.json'), join(pkg, 'package.json'))
    // A copy, not a link: the CLI runs its main when its own file is the one node was asked to run.
    cpSync(join(pkgDir, 'src'), join(pkg, 'src'), { recursive: true })
    symlinkSync(join(pkgDir, 'node_modules'), join(pkg, 'node_modules'))
    symlinkSync(join(workspace, 'node_modules'), join(root, 'node_modules'))
    execFileSync(process.execPath, [join(pkgDir, 'scripts', 'build-cli.js'), join(pkg, 'dist')], { stdio: 'pipe' })
    const buildJson = join(pkg, 'dist', 'build.json')
    const builtAt = (): number => (JSON.parse(readFileSync(buildJson, 'utf8')) as { builtAt: number }).builtAt
    // A bundle that says which it is, so the output tells the bundle from the source.
    writeFileSync(
      join(pkg, 'dist', 'cli.js'),
      "export async function main() { process.stdout.write('old bundle\\n'); return 0 }\n",
    )
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env['TTAPI_FROM_SOURCE']
    const args = ['list', '--history', dir, '--format', 'json']
    const bin = (): string =>
      execFileSync(process.execPath, [join(pkg, 'bin', 'report.js'), ...args], { cwd: dir, env, encoding: 'utf8' })
    const fromSource = capture(dir)
    expect(await main(args, fromSource.io)).toBe(0)
    const expected = fromSource.out.join('')
    expect(expected).toContain('"runs"')

    expect(bin()).toBe('old bundle\n')
    // Built before its sources last changed: stale.
    writeFileSync(buildJson, JSON.stringify({ ...JSON.parse(readFileSync(buildJson, 'utf8')), builtAt: 1 }))
    // No build script to rebuild with (a read-only or partial checkout): the source, through tsx.
    expect(bin()).toBe(expected)
    expect(builtAt()).toBe(1)
    // With the package's build script: rebuilt once, then the bundle runs as it is.
    copyFileSync(join(pkgDir, 'scripts', 'build-cli.js'), join(pkg, 'scripts', 'build-cli.js'))
    expect(bin()).toBe(expected)
    const rebuiltAt = builtAt()
    expect(rebuiltAt).toBeGreaterThan(1)
    expect(bin()).toBe(expected)
    expect(builtAt()).toBe(rebuiltAt)
  }, 60_000)
})
