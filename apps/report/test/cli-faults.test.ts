// Every CLI of the repo, run as a user runs it, on the faults users bring: one line naming the flag
// and the path, the documented exit code, never a stack trace, never a hang.
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { internalError } from '../src/errors.ts'
import { syntheticRecord } from '../src/_synthetic.ts'
import { tempDir } from './_runs.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')

/** The CLIs: argv of node for each (the same entry points the root scripts and bins run). */
const CLIS: Record<string, string[]> = {
  report: ['--import', TSX, join(ROOT, 'apps/report/src/cli.ts')],
  ttapi: [join(ROOT, 'apps/pipeline/bin/ttapi.js')],
  'ttapi-bench': [join(ROOT, 'packages/bench/bin/ttapi-bench.js')],
}

const ROOT_SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts

// `pnpm corpus`, when the workspace has it: the entry its root script runs through tsx.
const corpusScript = ROOT_SCRIPTS['corpus']
const corpusEntry = /tsx\s+(\S+\.ts)/.exec(corpusScript ?? '')?.[1]
if (corpusEntry !== undefined) CLIS['corpus'] = ['--import', TSX, join(ROOT, corpusEntry)]

// `pnpm version-packages`: the entry and arguments its root script runs (`report version-packages`).
const versionEntry = /^tsx\s+(\S+\.ts)((?:\s+\S+)*)$/.exec(ROOT_SCRIPTS['version-packages'] ?? '')
if (versionEntry !== null) {
  CLIS['version-packages'] = [
    '--import',
    TSX,
    join(ROOT, versionEntry[1]!),
    ...versionEntry[2]!.split(/\s+/).filter(Boolean),
  ]
}

interface Result {
  code: number | null
  stdout: string
  stderr: string
  killed: boolean
}

/** Runs a CLI; SIGKILLs its process group after 30 s (a CLI spinning in a native call ignores SIGTERM). */
function run(cli: string, args: string[], cwd = ROOT): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' }
    delete env.TTAPI_DEBUG
    // The CLI runs in `cwd` as a shell would start it: an INIT_CWD left by the npm that started the tests would
    // point the report's commands (version-packages among them) at this repository instead.
    delete env.INIT_CWD
    // its own process group, so a hung CLI and the tsx child its launcher started are killed together
    const child = spawn(process.execPath, [...CLIS[cli]!, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    let killed = false
    const timer = setTimeout(() => {
      killed = true
      process.kill(-child.pid!, 'SIGKILL')
    }, 30_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, killed })
    })
  })
}

/** Asserts one line on stderr matching `pattern`, no stack trace, exit code `code`. */
function expectOneLine(r: Result, code: number, pattern: RegExp): void {
  expect(r.killed, 'the CLI did not return within 30 s').toBe(false)
  expect(r.stderr).not.toMatch(/^\s+at /m)
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1)
  expect(r.stderr).toMatch(pattern)
  expect(r.code, r.stderr).toBe(code)
}

function history(): string {
  const dir = tempDir()
  const run1 = { id: 'run-1', label: 'main', startedAt: '2026-11-26T10:00:00.000Z', commit: 'a'.repeat(40) }
  const rec = syntheticRecord(run1, { package: '@ttapi/x', suite: 's', case: 'a', samples: [1, 2, 3] })
  writeFileSync(join(dir, '2026-11-26_main.ndjson'), `${JSON.stringify(rec)}\n`)
  return dir
}

describe('file-system faults on user-named paths', () => {
  it('report --out under a regular file (ENOTDIR): one line naming --out and the path, exit 2', async () => {
    const dir = history()
    writeFileSync(join(dir, 'a-file'), 'x')
    const out = join(dir, 'a-file', 'report.md')
    const r = await run('report', ['--history', dir, '--format', 'md', '--out', out])
    expectOneLine(r, 2, new RegExp(`^report: cannot write --out ${out}: ENOTDIR: not a directory\\n$`))
  })

  it('report --out /proc/nope/x.md returns (Node recursive mkdir spins there): ENOENT, exit 2', async () => {
    const r = await run('report', ['--history', history(), '--out', '/proc/nope/x.md'])
    expectOneLine(r, 2, /^report: cannot write --out \/proc\/nope\/x\.md: ENOENT: no such file or directory\n$/)
  })

  it.skipIf(process.getuid?.() === 0)(
    'report --out into a read-only folder (not as root: root ignores permission bits)',
    async () => {
      const dir = history()
      const ro = join(dir, 'ro')
      mkdirSync(ro)
      chmodSync(ro, 0o555)
      const r = await run('report', ['--history', dir, '--out', join(ro, 'x.md')])
      expectOneLine(r, 2, /^report: cannot write --out .*ro\/x\.md: EACCES: permission denied\n$/)
    },
  )

  it('ttapi run --out / --home / --cache-dir that cannot be written: one line naming the flag, exit 2, before any stage', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a-file'), 'x')
    const cases: [string[], RegExp][] = [
      // Checked by check-run-paths.ts before any work: the flag, the path, the problem, the errno.
      [['--out', '/proc/nope/o'], /^error: ttapi run: --out \/proc\/nope\/o: [^\n]*ENOENT[^\n]*\n$/],
      [['--out', join(dir, 'a-file', 'o')], /^error: ttapi run: --out .*a-file\/o: [^\n]*ENOTDIR[^\n]*\n$/],
      [['--home', join(dir, 'a-file', 'h')], /^error: ttapi run: --home .*a-file\/h[^\n]*ENOTDIR/],
      [['--cache-dir', '/proc/nope/c'], /^error: ttapi run: --cache-dir \/proc\/nope\/c: [^\n]*ENOENT/],
    ]
    for (const [args, pattern] of cases) {
      const r = await run('ttapi', ['run', '--dataset', 'tiny', '--home', join(dir, 'home'), ...args], dir)
      expectOneLine(r, 2, pattern)
      expect(r.stdout).toBe('')
    }
  })
})

describe('input faults', () => {
  it('version-packages on a malformed Accept-Regression line: one line naming the file and the line, exit 2', async () => {
    const root = tempDir('ttapi-vp-')
    mkdirSync(join(root, '.changeset'))
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages: []\n')
    const file = join(root, '.changeset', 'brave-cats.md')
    writeFileSync(file, '---\n"@demo/lib": minor\n---\n\nAccept-Regression: cache collect is slower\n')
    const r = await run('version-packages', [], root)
    expectOneLine(
      r,
      2,
      /^changeset .*brave-cats\.md: cannot read "Accept-Regression: cache collect is slower": write Accept-Regression: <suite>\/<case>: <reason>\n$/,
    )
  })

  it('version-packages --help prints its usage (options with defaults, exit codes), exit 0, within 100 columns', async () => {
    const r = await run('version-packages', ['--help'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Usage: pnpm version-packages \[--current SEL\] \[--history DIR\]\n/)
    expect(r.stdout).toMatch(/^ {2}--current SEL .*\(default: the newest run\)$/m)
    expect(r.stdout).toMatch(/^ {2}--history DIR .*\(default: <workspace root>\/benchmarks\)$/m)
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100)
  })
})

describe('exit codes mean the same in every CLI', () => {
  const argv: Record<string, string[]> = {
    report: ['--no-such-flag'],
    'version-packages': ['--no-such-flag'],
    ttapi: ['run', '--no-such-flag'],
    'ttapi-bench': ['run', '--no-such-flag'],
    corpus: ['--no-such-flag'],
  }
  it.each(Object.keys(argv))(
    '%s: an unknown flag is a usage error: exit 2, the flag named, no stack trace',
    async (cli) => {
      if (CLIS[cli] === undefined) {
        console.log(`cli-faults: skipped ${cli}: the workspace has no \`pnpm ${cli}\` script`)
        return
      }
      const r = await run(cli, argv[cli]!)
      expect(r.killed).toBe(false)
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr.split('\n')[0]).toMatch(/no-such-flag/)
      expect(r.stderr).not.toMatch(/^\s+at /m)
    },
  )
})

describe('internal errors', () => {
  it('are one line naming the CLI, the stack only with TTAPI_DEBUG=1 (the CLIs exit 1 with it)', () => {
    const saved = process.env.TTAPI_DEBUG
    try {
      delete process.env.TTAPI_DEBUG
      const bug = new TypeError("Cannot read properties of undefined (reading 'p50')\nsecond line")
      expect(internalError('report', bug)).toBe(
        "report: internal error: Cannot read properties of undefined (reading 'p50') (TTAPI_DEBUG=1 shows the stack)\n",
      )
      process.env.TTAPI_DEBUG = '1'
      expect(internalError('report', bug)).toMatch(
        /^report: internal error: Cannot read [^\n]*\nTypeError: [\s\S]*\n\s+at /,
      )
    } finally {
      if (saved === undefined) delete process.env.TTAPI_DEBUG
      else process.env.TTAPI_DEBUG = saved
    }
  })
})
