import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allocationInterval, judgeAllocation } from '../src/allocation-gate.ts'
import { parseConfig } from '../src/config.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import type { SyntheticRun } from '../src/_synthetic.ts'
import { runReport, tempDir, writeLines } from './_runs.ts'

const run = runReport

describe('judgeAllocation', () => {
  it('takes the ratio of medians and the range over every pairing of processes', () => {
    // Reference by hand: medians 1005 and 1510; 1500 / 1010 and 1520 / 1000.
    const i = allocationInterval([1000, 1010], [1500, 1520])!
    expect(i.ratio).toBeCloseTo(1510 / 1005, 12)
    expect(i.low).toBeCloseTo(1500 / 1010, 12)
    expect(i.high).toBeCloseTo(1520 / 1000, 12)
    expect(allocationInterval([null, null], [1500])).toBeNull()
    expect(allocationInterval([0, 0], [1500, 1500])).toBeNull()
  })

  it('regressed beyond the threshold, unchanged inside it, inconclusive with one process a side', () => {
    expect(judgeAllocation([1000, 1010], [1500, 1520], 10)!.verdict).toBe('regressed')
    expect(judgeAllocation([1000, 1010], [1020, 1030], 10)!.verdict).toBe('unchanged')
    expect(judgeAllocation([1000, 1010], [600, 610], 10)!.verdict).toBe('improved')
    expect(judgeAllocation([1000], [1500], 10)!.verdict).toBe('inconclusive')
    expect(judgeAllocation([1000, null], [null, null], 10)).toBeNull()
  })

  it('reads `thresholds.alloc` from ttapi.report.json (per package too) and refuses a bad one by name', () => {
    const c = parseConfig({ thresholds: { alloc: 15 }, packages: { '@ttapi/cache': { thresholds: { alloc: null } } } })
    expect(c.thresholds).toEqual({ p50: null, p95: 10, alloc: 15 })
    expect(c.packages['@ttapi/cache']!.thresholds).toEqual({ alloc: null })
    expect(() => parseConfig({ thresholds: { alloc: -1 } })).toThrow(
      'report config ttapi.report.json: expected `thresholds.alloc` to be a percent in (0, 1000] or null, got `-1` (number)',
    )
  })
})

describe('allocations per op in the report (CLI, generated history)', () => {
  const main: SyntheticRun = { id: 'base-1', label: 'main', startedAt: '2026-11-25T10:00:00.000Z', commit: 'aaaa1111' }
  const pr: SyntheticRun = { id: 'cur-1', label: 'pr-9', startedAt: '2026-11-26T10:00:00.000Z', commit: 'bbbb2222' }

  /** Same timing both sides; `grows` allocates 1,000 -> 1,500 B/op, `steady` 2,048 both, `old` predates the field. */
  function history(): string {
    const dir = tempDir()
    const random = createRandom(7)
    const s = (): number[] => syntheticSamples(random, 60, { ...REALISTIC_NOISE, medianMs: 10, factor: 1 })
    const c = (name: string, alloc?: number[]) => ({
      package: '@ttapi/cache',
      suite: 'ops',
      case: name,
      samples: s(),
      processes: [30, 30],
      ...(alloc ? { allocBytesPerOp: alloc } : {}),
    })
    writeLines(dir, '2026-11-25_main.ndjson', [
      syntheticRecord(main, c('grows', [1000, 1004])),
      syntheticRecord(main, c('steady', [2048, 2050])),
      syntheticRecord(main, c('old')),
    ])
    writeLines(dir, '2026-11-26_pr-9.ndjson', [
      syntheticRecord(pr, c('grows', [1500, 1506])),
      syntheticRecord(pr, c('steady', [2046, 2049])),
      syntheticRecord(pr, c('old', [512, 512])),
    ])
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ thresholds: { p95: 50, alloc: 10 } }))
    return dir
  }

  it('shows the figure in every format and gates on it like time (exit 1 on a confirmed regression)', async () => {
    const dir = history()
    const cfg = ['--history', dir, '--config', join(dir, 'config.json')]
    const html = join(dir, 'report.html')
    const [terminal, md, json, gated, page] = await Promise.all([
      // --wide: every column and every row (at 100 columns alloc/op is the first figure left out).
      run([...cfg, '--wide']),
      run([...cfg, '--format', 'md']),
      run([...cfg, '--format', 'json']),
      run([...cfg, '--fail-on-regression']),
      run([...cfg, '--format', 'html', '--out', html]),
    ])
    expect(terminal.code).toBe(0)
    expect(terminal.stdout).toContain('alloc/op')
    expect(terminal.stdout).toMatch(/REGRESSED .* grows .*1\.47 KiB \+50\.\d%/)
    expect(terminal.stdout).toMatch(/unchanged .* steady .*2\.00 KiB/)
    expect(md.stdout).toContain('| Alloc/op |')
    expect(md.stdout).toMatch(/alloc \+50\.\d% \[\+49\.\d%, \+50\.\d%\]/)
    const report = JSON.parse(json.stdout) as {
      cases: { case: string; status: string; alloc: { baseline: number | null; current: number | null } }[]
      settings: { thresholds: { alloc: number | null } }
    }
    const grows = report.cases.find((x) => x.case === 'grows')!
    expect(grows.status).toBe('regressed')
    // The medians of the two processes: (1000 + 1004) / 2 and (1500 + 1506) / 2.
    expect(grows.alloc).toMatchObject({ baseline: 1002, current: 1503 })
    // A baseline line written before the field: not measured, so not judged on it (time alone says unchanged).
    const old = report.cases.find((x) => x.case === 'old')!
    expect(old.alloc.baseline).toBeNull()
    expect(old.status).toBe('unchanged')
    expect(report.settings.thresholds.alloc).toBe(10)
    expect(gated.code).toBe(1)
    expect(gated.stderr).toContain('1 case(s) regressed')
    expect(page.code).toBe(0)
    expect(readFileSync(html, 'utf8')).toContain('Alloc/op')
  })
})
