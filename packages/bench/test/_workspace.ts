// Test helper: a throw-away pnpm workspace with one tiny package whose bench files the CLI runs,
// so end-to-end tests never write into the repository's benchmarks/ folder.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRecord } from '../src/types.ts'

export const benchSrc: string = fileURLToPath(new URL('../src/define-suite.ts', import.meta.url))
export const cliPath: string = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const tsxLoader = import.meta.resolve('tsx')

/** Short measurement settings so a case takes a fraction of a second. */
// One process a case unless a test asks for more; no inherited run id or machine name.
export const FAST_ENV: Record<string, string> = {
  BENCH_MEASURE_MS: '30',
  BENCH_WARMUP_MS: '5',
  BENCH_PROCESSES: '1',
  BENCH_RUN_ID: '',
  BENCH_MACHINE: '',
}

export interface TempWorkspace {
  root: string
  pkgDir: string
}

/** Creates a workspace with `packages/<pkg>` holding the given bench files (name to source). */
export function makeWorkspace(benches: Record<string, string>, pkg = 'tiny'): TempWorkspace {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-ws-'))
  writeFileSync(path.join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  addPackage(root, pkg, benches)
  return { root, pkgDir: path.join(root, 'packages', pkg) }
}

/** Adds `packages/<pkg>` (or `apps/<pkg>` with group) with bench files. */
export function addPackage(root: string, pkg: string, benches: Record<string, string>, group = 'packages'): string {
  const dir = path.join(root, group, pkg)
  mkdirSync(path.join(dir, 'bench'), { recursive: true })
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `@t/${pkg}`, type: 'module' }))
  for (const [name, src] of Object.entries(benches)) writeFileSync(path.join(dir, 'bench', name), src)
  return dir
}

/** A bench file source: `cases` is the TS source of the cases array. */
export function benchFile(suite: string, cases: string, prelude = ''): string {
  return `import { defineSuite } from ${JSON.stringify(benchSrc)}\n${prelude}\nexport default defineSuite({ suite: ${JSON.stringify(suite)}, cases: ${cases} })\n`
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `ttapi-bench <args>` in `cwd` through tsx, as the bin does. */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cliPath, ...args], {
      cwd,
      env: { ...process.env, ...FAST_ENV, CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Every parsed line of every `.ndjson` file under `<root>/benchmarks`. */
export function readRecords(root: string): { file: string; lines: string[]; records: BenchRecord[] }[] {
  const dir = path.join(root, 'benchmarks')
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .map((f) => {
      const lines = readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
      return { file: f, lines, records: lines.map((l) => JSON.parse(l) as BenchRecord) }
    })
}
