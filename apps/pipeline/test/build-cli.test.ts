// The install-time bundle (scripts/build-cli.js) run by the bin in plain node: built into a temp directory beside a
// copy of the bin and the root's launcher, it answers --version, runs cold (the embedded quote server's child found
// through the rewritten source URLs) and cached without loading tsx, and its runs share the stage table with the
// source's.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sp500Symbols } from '@ttapi/collector'
import { cleanEnv, runCli } from './_cli.ts'
import type { CliRun } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

const PKG = fileURLToPath(new URL('..', import.meta.url))
const FAST = ['--universe', 'universe.txt', '--dataset', 'tiny', '--server-latency', '2', '--server-jitter', '0']

let dir: string
let bin: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-build-'))
  // The workspace's layout, so the bin finds the root's launcher (scripts/launch-cli.js) where it does in a clone.
  mkdirSync(join(dir, 'apps', 'pipeline', 'bin'), { recursive: true })
  mkdirSync(join(dir, 'scripts'))
  copyFileSync(join(PKG, '..', '..', 'scripts', 'launch-cli.js'), join(dir, 'scripts', 'launch-cli.js'))
  bin = join(dir, 'apps', 'pipeline', 'bin', 'ttapi.js')
  copyFileSync(join(PKG, 'bin', 'ttapi.js'), bin)
  execFileSync(process.execPath, [join(PKG, 'scripts', 'build-cli.js'), join(dir, 'apps', 'pipeline', 'dist')], {
    stdio: 'pipe',
  })
  writeFileSync(join(dir, 'universe.txt'), `${sp500Symbols.slice(0, 6).join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the copied bin (the bundle: TTAPI_FROM_SOURCE unset) with Node's module-loader log. */
function bundled(args: string[]): Promise<CliRun & { packages: string[] }> {
  const env = cleanEnv({ NODE_DEBUG: 'esm' })
  delete env['TTAPI_FROM_SOURCE']
  return new Promise((resolve, reject) => {
    runCli(args, dir, env, undefined, bin).then((r) => {
      const names = new Set<string>()
      for (const m of r.stderr.matchAll(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g))
        names.add(m[1]!)
      resolve({ ...r, packages: [...names] })
    }, reject)
  })
}
const summary = (): RunSummary => JSON.parse(readFileSync(join(dir, '.ttapi/out/summary.json'), 'utf8')) as RunSummary

describe('the bundled CLI', () => {
  it('lists its inputs, and --version answers without tsx', async () => {
    const build = JSON.parse(readFileSync(join(dir, 'apps', 'pipeline', 'dist', 'build.json'), 'utf8')) as {
      inputs: string[]
    }
    expect(build.inputs.some((f) => f.endsWith('apps/pipeline/src/cli.ts'))).toBe(true)
    expect(build.inputs.some((f) => f.endsWith('packages/analysis/src/standard-analysis.ts'))).toBe(true)
    const v = await bundled(['--version'])
    expect(v.code, v.stderr.slice(-500)).toBe(0)
    expect(v.stdout).toBe('ttapi 0.0.0\n')
    expect(v.packages).not.toContain('tsx')
  })

  // An ESM import of a CommonJS package makes Node lex its source for export names (cjs-module-lexer) at every start:
  // for @node-rs/xxhash's 29 KB index.js, lexing hot enough that V8 compiled the lexer with TurboFan (~18 ms on the
  // second core, beside the analysis's own compilations). CommonJS packages are required instead.
  it('imports no CommonJS package through ESM at start', async () => {
    const v = await bundled(['--version'])
    expect(v.code, v.stderr.slice(-500)).toBe(0)
    expect(v.stderr.match(/Translating CJSModule \S*node_modules\S*/g) ?? []).toEqual([])
  })

  it('runs cold and cached; the source run after them completes the same stage table', async () => {
    const cold = await bundled(['run', '--cold', '--quiet', ...FAST])
    expect(cold.code, cold.stderr.slice(-2000)).toBe(0)
    expect(summary().stages.map((s) => s.source)).toEqual(['source', 'data', 'computed'])
    const cached = await bundled(['run', '--cached', '--quiet', ...FAST])
    expect(cached.code, cached.stderr.slice(-2000)).toBe(0)
    expect(summary().stages.map((s) => s.source)).toEqual(['cache', 'cache', 'computed'])
    expect(cached.packages).not.toContain('tsx')
    expect(cached.stdout).toMatch(/cold: run of \S+ \(6 symbols, 3,600 rows\); cached: this run/)
    const source = await runCli(['run', '--cached', '--quiet', ...FAST], dir)
    expect(source.code, source.stderr).toBe(0)
    expect(summary().symbols.every((x) => x.stats?.rows === 300)).toBe(true)
    // The table's rows from the two kinds of process: same operations, same inputs (one history entry).
    const rows = (t: string): string[] => t.split('\n').map((l) => l.split('|')[1]?.trim() ?? '')
    expect(rows(source.stdout)).toEqual(rows(cached.stdout))
  })
})
