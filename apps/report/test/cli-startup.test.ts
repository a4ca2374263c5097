import { execFileSync } from 'node:child_process'
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
