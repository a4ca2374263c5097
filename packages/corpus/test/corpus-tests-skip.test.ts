// A fresh clone has no corpus: every test file of the repository that reads it must then skip its corpus tests with
// the visible message and pass. Runs those files (found by their import of @ttapi/corpus or the columnar-io helper)
// in a child vitest with TTAPI_CORPUS pointing nowhere.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../../..')

/** Test files outside this package that read the corpus. */
function corpusTestFiles(): string[] {
  const out: string[] = []
  for (const group of ['packages', 'apps'])
    for (const pkg of readdirSync(join(ROOT, group))) {
      if (group === 'packages' && pkg === 'corpus') continue
      const test = join(ROOT, group, pkg, 'test')
      let entries: string[]
      try {
        entries = readdirSync(test, { recursive: true, encoding: 'utf8' })
      } catch {
        continue
      }
      for (const f of entries.filter((e) => e.endsWith('.test.ts'))) {
        const text = readFileSync(join(test, f), 'utf8')
        if (/from '@ttapi\/corpus'|_corpus\.ts|TTAPI_CORPUS|shared\/corpus/.test(text)) out.push(join(test, f))
      }
    }
  return out.sort()
}

describe('corpus tests without the corpus', () => {
  it('skip with the message naming where they looked and `pnpm corpus`, and pass', async () => {
    const files = corpusTestFiles()
    // columnar-io: read-parquet-arrow, read-parquet, read-csv, import-csv, metastock corpus; collector; analysis.
    expect(files.length).toBeGreaterThanOrEqual(7)
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')))
    const run = await new Promise<{ code: number; out: string }>((ok) => {
      execFile(
        process.execPath,
        [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...files.map((f) => relative(ROOT, f))],
        { cwd: ROOT, env: { ...env, TTAPI_CORPUS: '/nonexistent/corpus', NO_COLOR: '1' }, maxBuffer: 1 << 26 },
        (error, stdout, stderr) => ok({ code: error === null ? 0 : Number(error.code), out: stdout + stderr }),
      )
    })
    expect(run.out, run.out.slice(-3000)).toMatch(/Test Files\s+\d+ passed/)
    expect(run.code, run.out.slice(-3000)).toBe(0)
    expect(run.out).not.toMatch(/ENOENT|failed/i)
    const message =
      /corpus not found \(no PROVENANCE\.sha256 in TTAPI_CORPUS=\/nonexistent\/corpus\); corpus tests skipped: run `pnpm corpus` to download it/g
    // One warning per test file (each file is its own module graph in vitest).
    expect(run.out.match(message)?.length ?? 0).toBeGreaterThanOrEqual(files.length)
    expect(run.out).toMatch(/Tests\s+\d+ passed \| \d+ skipped/)
  })
})
