// `pnpm turbo bench` starts one harness per package; they must make one run, and a filtered run
// must say "not run" for what it did not select, never "removed". Real turbo, real harness, real report.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const TURBO = join(REPO, 'node_modules', '.bin', 'turbo')
const BENCH_CLI = fileURLToPath(new URL('../../../packages/bench/src/cli.ts', import.meta.url))
const BENCH_SRC = fileURLToPath(new URL('../../../packages/bench/src/index.ts', import.meta.url))
const REPORT_CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')

function sh(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd,
        env: {
          ...process.env,
          BENCH_MEASURE_MS: '40',
          BENCH_WARMUP_MS: '5',
          BENCH_PROCESSES: '1',
          BENCH_RUN_ID: '',
          BENCH_MACHINE: 'turbo-test',
          TURBO_TELEMETRY_DISABLED: '1',
          DO_NOT_TRACK: '1',
          NO_COLOR: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, out: stdout + stderr }),
    )
  })
}

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ttapi-turbo-'))
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'tw', private: true, packageManager: 'pnpm@12.4.2' }),
  )
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  writeFileSync(
    join(root, 'turbo.json'),
    JSON.stringify({ tasks: { bench: { cache: false, passThroughEnv: ['BENCH_*', 'GLIBC_TUNABLES', 'CI'] } } }),
  )
  for (const p of ['alpha', 'beta']) {
    const dir = join(root, 'packages', p)
    mkdirSync(join(dir, 'bench'), { recursive: true })
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: `@t/${p}`,
        type: 'module',
        scripts: { bench: `node --import ${TSX} ${BENCH_CLI} run` },
      }),
    )
    writeFileSync(
      join(dir, 'bench', `${p}.bench.ts`),
      `import { defineSuite } from ${JSON.stringify(BENCH_SRC)}\n` +
        `export default defineSuite({ suite: '${p}', cases: [\n` +
        `  { name: 'cheap', unit: 'ops', itemsPerOp: 1, fn: () => { let s = 0; for (let i = 0; i < 500; i++) s += i; return s } },\n` +
        `  { name: 'other', unit: 'ops', itemsPerOp: 1, fn: () => Math.sqrt(2) },\n` +
        `] })\n`,
    )
  }
  return root
}

describe.skipIf(!existsSync(TURBO))('pnpm turbo bench', () => {
  it('records one run across packages, and a filtered run reports not run instead of removed', async () => {
    const root = workspace()
    const main = await sh(TURBO, ['run', 'bench', '--', '--label', 'main'], root)
    expect(main.code, main.out).toBe(0)
    const filtered = await sh(TURBO, ['run', 'bench', '--', '--label', 'pr', '--filter', '/cheap$'], root)
    expect(filtered.code, filtered.out).toBe(0)
    const lines = readdirSync(join(root, 'benchmarks'))
      .filter((f) => f.endsWith('.ndjson'))
      .flatMap((f) =>
        readFileSync(join(root, 'benchmarks', f), 'utf8')
          .trim()
          .split('\n'),
      )
      .map(
        (l) =>
          JSON.parse(l) as { run: { id: string; label: string; selection: { packages: string[] } }; package: string },
      )
    const ids = (label: string): Set<string> => new Set(lines.filter((r) => r.run.label === label).map((r) => r.run.id))
    expect(ids('main').size).toBe(1)
    expect(ids('pr').size).toBe(1)
    expect(new Set(lines.filter((r) => r.run.label === 'pr').map((r) => r.package))).toEqual(
      new Set(['@t/alpha', '@t/beta']),
    )

    const list = await sh(
      process.execPath,
      ['--import', 'tsx', REPORT_CLI, 'list', '--history', join(root, 'benchmarks')],
      REPO,
    )
    expect(list.out).toMatch(/2 run\(s\), 6 record\(s\)/)
    const report = await sh(
      process.execPath,
      ['--import', 'tsx', REPORT_CLI, '--history', join(root, 'benchmarks'), '--judge-busy', '--wide'],
      REPO,
    )
    expect(report.code, report.out).toBe(0)
    // --wide lists every case under its package heading, the unselected ones in their own section.
    expect(report.out.match(/^ {4}\S.* cheap\b/gm)).toHaveLength(2)
    expect(report.out).toMatch(
      /^Not run \(outside the selection\) \(2\)\n {2}@t\/alpha\n {4}not run +other .*\n {2}@t\/beta\n {4}not run +other /m,
    )
    expect(report.out).not.toMatch(/removed/)
    expect(report.out).toMatch(/2 case\(s\) of the baseline not run/)
  }, 180_000)
})
