import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { USAGE } from '../src/_parse-args.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

describe('ttapi-bench --help', () => {
  it('is a synopsis and one line per option with its default, every line within 100 columns', () => {
    const lines = USAGE.split('\n')
    expect(lines[0]).toMatch(/^Usage: ttapi-bench run /)
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100)
    // every option the parser accepts (src/_parse-args.ts) has its own described line
    for (const flag of [
      '--all',
      '--filter',
      '--profile',
      '--label',
      '--save-baseline',
      '--cpu-prof',
      '--then',
      '--help',
    ])
      expect(
        lines.filter((l) => new RegExp(`^ {2}(-h, )?${flag}\\b.{3,}\\S`).test(l)),
        flag,
      ).toHaveLength(1)
    for (const flag of ['--all', '--filter', '--profile', '--label', '--cpu-prof'])
      expect(
        lines.find((l) => l.startsWith(`  ${flag}`)),
        flag,
      ).toMatch(/\(default: [^)]+\)$/)
  })

  it('is reachable from the workspace root: the root depends on @ttapi/bench, so pnpm links its bin there', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>
    }
    expect(pkg.devDependencies['@ttapi/bench']).toBe('workspace:*')
    const bin = join(ROOT, 'node_modules', '.bin', 'ttapi-bench')
    expect(existsSync(bin), `${bin} (run pnpm install)`).toBe(true)
    const r = spawnSync(bin, ['--help'], { cwd: ROOT, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe(`${USAGE}\n`)
  })

  it('an unknown option is one line pointing at --help, exit 2', () => {
    const bin = join(ROOT, 'node_modules', '.bin', 'ttapi-bench')
    const r = spawnSync(bin, ['run', '--frobnicate'], { cwd: ROOT, encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('bench: unknown option `--frobnicate`; see `ttapi-bench --help`\n')
  })
})
