import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import type { SyntheticRun } from '../src/_synthetic.ts'
import { reportJsonSchema } from '../src/report-schema.ts'
import { runReport, tempDir, writeLines } from './_runs.ts'

const run = runReport

const main: SyntheticRun = {
  id: 'base-1',
  label: 'main',
  startedAt: '2026-11-25T10:00:00.000Z',
  commit: 'aaaaaaa1111111',
}
const pr: SyntheticRun = { id: 'cur-1', label: 'pr-9', startedAt: '2026-11-26T10:00:00.000Z', commit: 'bbbbbbb2222222' }

/** A history: main vs pr-9 where `slow` is 30% slower, `fast` is 48x faster, `same` unchanged, `gone` removed, `fresh` added. */
function history(options: { prEnv?: SyntheticRun['env']; bad?: boolean } = {}): string {
  const dir = tempDir()
  const random = createRandom(42)
  const s = (factor: number, median = 10): number[] =>
    syntheticSamples(random, 100, { ...REALISTIC_NOISE, medianMs: median, factor })
  const c = (name: string, samples: number[], pkg = '@ttapi/cache') => ({
    package: pkg,
    suite: 'ops',
    case: name,
    samples,
  })
  writeLines(dir, '2026-11-25_main.ndjson', [
    syntheticRecord(main, c('slow', s(1))),
    syntheticRecord(main, c('fast', s(1, 480), '@ttapi/collector')),
    syntheticRecord(main, c('same', s(1))),
    syntheticRecord(main, c('gone', s(1))),
  ])
  const cur = { ...pr, env: options.prEnv, fingerprint: options.prEnv ? 'fedcba9876543210' : undefined }
  writeLines(dir, '2026-11-26_pr-9.ndjson', [
    syntheticRecord(cur, c('slow', s(1.3))),
    syntheticRecord(cur, c('fast', s(1, 10), '@ttapi/collector')),
    syntheticRecord(cur, c('same', s(1))),
    syntheticRecord(cur, c('fresh', s(1))),
    ...(options.bad ? ['{"broken": ', '{"schema":"ttapi.bench/v1"}'] : []),
  ])
  return dir
}

describe('report CLI (subprocess)', () => {
  it('prints a terminal table by default and gates with --fail-on-regression', async () => {
    const dir = history()
    const [plain, gated] = await Promise.all([
      run(['--history', dir]),
      run(['--', '--history', dir, '--fail-on-regression']),
    ])
    expect(plain.code).toBe(0)
    // Verdict first, then the gated change, then the case under its package heading.
    expect(plain.stdout).toMatch(/^Regressed \(1\)\n {2}@ttapi\/cache\n {4}REGRESSED +p95 \+\d\d\.\d% \[.*\] +slow /m)
    expect(plain.stdout).toMatch(/^Improved \(1\)\n {2}@ttapi\/collector\n {4}improved +p95 −9\d\.\d% \[.*\] +fast /m)
    expect(plain.stdout).toMatch(/^ {4}removed +gone /m)
    expect(plain.stdout).toMatch(/^ {4}added +fresh /m)
    expect(plain.stdout).toContain('Not listed: 1 unchanged')
    expect(gated.code).toBe(1)
    expect(gated.stderr).toContain('report: 1 case(s) regressed (--fail-on-regression)')
  })

  it('writes the markdown engineering report to --out', async () => {
    const dir = history({ bad: true })
    const out = join(tempDir(), 'nested', 'report.md')
    const r = await run(['--history', dir, '--format', 'md', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`report: wrote ${out}`)
    const md = readFileSync(out, 'utf8')
    expect(md).toMatch(/^# Performance report — pr-9 — 2026-11-26/)
    expect(md).toContain('- **Baseline:** main @aaaaaaa, 2026-11-25 10:00 UTC, run base-1')
    expect(md).toContain('- **Environment:** linux 6.8.0 x64')
    expect(md).toContain('2 bad line(s) excluded (see Notes)')
    expect(md).toContain('## Summary')
    expect(md).toMatch(/- ❌ `@ttapi\/cache › ops › slow` p95 \+\d+\.\d% \(95% CI/)
    expect(md).toMatch(/- ✅ `@ttapi\/collector › ops › fast` 4\dx faster than baseline \(p50 4\d\d ms → \d+\.\d+ ms\)/)
    expect(md).toContain('🧠 Memory: peak RSS')
    expect(md).toContain('## Detailed Results')
    expect(md).toContain('### @ttapi/cache')
    expect(md).toContain(
      '| Case | Latency p50 | Latency p95 | Throughput | Memory (peak) | GC | Alloc/op | Change | Verdict |',
    )
    expect(md).toContain('## Notes')
    expect(md).toContain('`2026-11-26_pr-9.ndjson:5: malformed JSON')
    expect(md).toContain('`2026-11-26_pr-9.ndjson:6: not a ttapi.bench/v1 record')
  })

  it('writes JSON that its JSON Schema accepts', async () => {
    const r = await run(['--history', history(), '--format', 'json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(reportJsonSchema)
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([])
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true)
    expect(doc.schema).toBe('ttapi.report/v2')
    expect(doc.counts).toMatchObject({ regressed: 1, improved: 1, added: 1, removed: 1 })
    expect(doc.summary[0]).toBe('❌ 1 case(s) regressed beyond their threshold')
    const schema = await run(['schema'])
    expect(JSON.parse(schema.stdout)).toEqual(reportJsonSchema)
  })

  it('warns loudly in every format when fingerprints differ, and --strict-env refuses', async () => {
    const dir = history({ prEnv: { cpu_model: 'Intel Xeon Platinum 8375C' } })
    const [md, term, json, strict] = await Promise.all([
      run(['--history', dir, '--format', 'md']),
      run(['--history', dir]),
      run(['--history', dir, '--format', 'json']),
      run(['--history', dir, '--strict-env']),
    ])
    expect(md.stdout).toContain('> [!WARNING]')
    expect(md.stdout).toContain(
      'ENVIRONMENTS DIFFER: 3 of 3 compared case(s) ran with a different fingerprint (baseline 0123456789abcdef vs current fedcba9876543210)',
    )
    expect(md.stdout).toMatch(/\| ops › slow \|.*❌ regressed ⚠️ env \|/)
    expect(md.stdout).toContain('env.cpu_model "AMD EPYC 7B13" → "Intel Xeon Platinum 8375C"')
    expect(term.stdout.split('\n')[0]).toMatch(/^!!! ENVIRONMENTS DIFFER/)
    expect(JSON.parse(json.stdout).warnings[0]).toMatch(/^ENVIRONMENTS DIFFER/)
    expect(strict.code).toBe(2)
    expect(strict.stderr).toMatch(
      /^report: baseline base-1 .* --strict-env refuses to compare them \(env\.cpu_model\)\n$/,
    )
  })

  it('shows the current run alone when no baseline exists', async () => {
    const dir = tempDir()
    writeLines(dir, '2026-11-26_pr-9.ndjson', [
      syntheticRecord(pr, { package: '@ttapi/x', suite: 's', case: 'a', samples: [1, 2, 3] }),
    ])
    const r = await run(['--history', dir, '--fail-on-regression', '--format', 'md'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('- **Baseline:** none (no comparable baseline run)')
    expect(r.stdout).toContain('No comparable baseline for run cur-1')
    expect(r.stdout).toContain('pnpm bench -- --save-baseline main')
    expect(r.stdout).toMatch(/\| s › a \| 2\.00 ms \| .* \| — no baseline \|/)
  })

  it('exits 2 with one clear line for usage and data errors, never a stack trace', async () => {
    const dir = history()
    const badConfig = join(tempDir(), 'cfg.json')
    writeFileSync(badConfig, JSON.stringify({ thresholds: { p95: 10 }, treshold: 5 }))
    const dup = history()
    writeLines(dup, '2026-11-27_other.ndjson', [
      syntheticRecord({ ...pr, label: 'other' }, { package: '@ttapi/x', suite: 's', case: 'z', samples: [1] }),
    ])
    const cases = await Promise.all([
      run(['--history', dir, '--baseline', 'nightly']),
      run(['--history', join(dir, 'missing')]),
      run(['--history', history({ bad: true }), '--strict']),
      run(['--history', dir, '--config', badConfig]),
      run(['--history', dup]),
      run(['--history', dir, '--format', 'pdf']),
      run(['--history', dir, '--frobnicate']),
    ])
    for (const r of cases) {
      expect(r.code).toBe(2)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    const [unknown, missing, strict, config, conflict, format, option] = cases.map((r) => r.stderr)
    expect(unknown).toMatch(/^report: --baseline "nightly" matches no run .*labels: main \(1\), pr-9 \(1\).*\n$/)
    expect(unknown!.trim().split('\n')).toHaveLength(1)
    expect(missing).toMatch(/history directory .*missing does not exist/)
    expect(strict).toContain('2026-11-26_pr-9.ndjson:5: malformed JSON')
    expect(config).toMatch(/unknown key `treshold`/)
    expect(conflict).toMatch(/run id "cur-1" has conflicting metadata: run\.label "pr-9" vs "other"/)
    expect(format).toMatch(/expected --format to be one of terminal, md, json/)
    expect(option).toMatch(/Unknown option '--frobnicate'/)
  })

  it('lists runs and shows one case across runs', async () => {
    const dir = history()
    const [list, hist, ambiguous] = await Promise.all([
      run(['list', '--history', dir]),
      run(['history', 'slow', '--history', dir]),
      run(['history', 'nope', '--history', dir]),
    ])
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/2026-11-25 +10:00 +main +aaaaaaa +synthetic-epyc +quick +4 +all +base-1/)
    expect(list.stdout).toMatch(/2026-11-26 +10:00 +pr-9 +bbbbbbb +synthetic-epyc +quick +4 +all +cur-1/)
    expect(hist.code).toBe(0)
    expect(hist.stdout).toContain('@ttapi/cache/ops/slow: 2 run(s)')
    expect(hist.stdout).toMatch(/2026-11-25 10:00 +main +aaaaaaa +100 /)
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stderr).toMatch(/no case "nope" in the history; did you mean gone\? \(5 cases\)/)
  })
})
