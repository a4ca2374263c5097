// The terminal report fits its terminal, leads with what changed and never says "no regressions" while
// a case may be slower (issue 19).
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../src/compare-runs.ts'
import { headline } from '../src/headline.ts'
import { createRandom } from '../src/_random.ts'
import { renderTerminal } from '../src/render-terminal.ts'
import { selectRuns } from '../src/select-runs.ts'
import { summaryBullets } from '../src/summary.ts'
import { REALISTIC_NOISE, syntheticSamples } from '../src/_synthetic.ts'
import type { SyntheticCase } from '../src/_synthetic.ts'
import { displayWidth } from '../src/_text-width.ts'
import type { Comparison, ReportContext } from '../src/types.ts'
import { makeRun } from './_runs.ts'

const random = createRandom(19)
const noise = (median: number, factor = 1, n = 120): number[] =>
  syntheticSamples(random, n, { ...REALISTIC_NOISE, sigma: 0.05, medianMs: median, factor })

/** 90% of the samples around `body` ms, 10% around 30 ms: moving the body moves the p50, not the p95. */
function bodyAndTail(body: number): number[] {
  return [...noise(body, 1, 108), ...noise(30, 1, 12)]
}

const LONG = 'metastock_import_of_two_thousand_symbols_with_a_name_long_enough_to_need_cutting'

/**
 * Base vs current on one machine: one case 30% slower (a confirmed regression), one 40% faster, one
 * whose p50 is 52% slower while its gated p95 holds (the case of the issue), 30 unchanged cases, one
 * removed, one added, and 12 cases of a package the current run did not select (not run).
 */
function comparison(): Comparison {
  const c = (pkg: string, suite: string, name: string, samples: number[]): SyntheticCase => ({
    package: pkg,
    suite,
    case: name,
    samples,
  })
  const base: SyntheticCase[] = []
  const cur: SyntheticCase[] = []
  base.push(c('@ttapi/columnar-io', 'columnar_io', LONG, noise(10)))
  cur.push(c('@ttapi/columnar-io', 'columnar_io', LONG, noise(10, 1.3)))
  base.push(c('@ttapi/cache', 'cache', 'collect_symbols_cached_disk', noise(2)))
  cur.push(c('@ttapi/cache', 'cache', 'collect_symbols_cached_disk', noise(2, 0.6)))
  base.push(c('@ttapi/analysis', 'analysis', 'standard_analysis_1t', bodyAndTail(10)))
  cur.push(c('@ttapi/analysis', 'analysis', 'standard_analysis_1t', bodyAndTail(15.2)))
  for (let i = 0; i < 30; i++) {
    const pkg = ['@ttapi/analysis', '@ttapi/cache', '@ttapi/columnar-io'][i % 3]!
    base.push(c(pkg, 'steady', `steady_case_${i}`, noise(5)))
    cur.push(c(pkg, 'steady', `steady_case_${i}`, noise(5)))
  }
  base.push(c('@ttapi/cache', 'cache', 'gone_case', noise(1)))
  cur.push(c('@ttapi/cache', 'cache', 'fresh_case', noise(1)))
  for (let i = 0; i < 12; i++) base.push(c('@ttapi/pipeline', 'pipeline', `unselected_${i}`, noise(3)))
  const packages = ['@ttapi/analysis', '@ttapi/cache', '@ttapi/columnar-io']
  const runs = [
    makeRun({ id: 'base', label: 'main', startedAt: '2026-12-01T10:00:00.000Z', commit: 'a'.repeat(40) }, base),
    makeRun(
      { id: 'cur', label: 'pr-19', startedAt: '2026-12-02T10:00:00.000Z', commit: 'b'.repeat(40), packages },
      cur,
    ),
  ]
  const history = { dir: '/tmp/history', files: [], recordCount: base.length + cur.length, runs, badLines: [] }
  const sel = selectRuns(history)
  return compareRuns(sel.baseline, sel.current, { baselines: sel.baselines })
}

const CONTEXT: ReportContext = {
  historyDir: '/a/rather/long/path/to/the/benchmarks/history/directory/of/the/workspace/benchmarks',
  files: 2,
  records: 90,
  badLines: [],
}

describe('renderTerminal', () => {
  const c = comparison()

  it('the comparison holds what the report must show (reference for the other tests)', () => {
    const status = (name: string): string => c.cases.find((x) => x.case === name)!.status
    expect(status(LONG)).toBe('regressed')
    expect(status('collect_symbols_cached_disk')).toBe('improved')
    expect(['unchanged', 'inconclusive']).toContain(status('standard_analysis_1t'))
    expect(status('gone_case')).toBe('removed')
    expect(status('fresh_case')).toBe('added')
    expect(c.counts.not_run).toBe(12)
  })

  it.each([80, 100, 160])('fits %i columns: no line is wider', (columns) => {
    const text = renderTerminal(c, CONTEXT, { columns })
    const lines = text.split('\n')
    const widest = Math.max(...lines.map(displayWidth))
    expect(widest).toBeLessThanOrEqual(columns)
    // Coloured output fits too (escapes take no columns).
    const coloured = renderTerminal(c, CONTEXT, { columns, color: true })
    expect(Math.max(...coloured.split('\n').map(displayWidth))).toBeLessThanOrEqual(columns)
  })

  it('leads with the verdict and the change, sorted by impact, unchanged and unselected cases folded', () => {
    const text = renderTerminal(c, CONTEXT, { columns: 100 })
    const at = (s: string): number => text.indexOf(s)
    expect(at('Regressed (1)')).toBeGreaterThan(0)
    expect(at('Regressed (1)')).toBeLessThan(at('Slower, not confirmed by the gate (1)'))
    expect(at('Slower, not confirmed by the gate (1)')).toBeLessThan(at('Improved (1)'))
    expect(at('Improved (1)')).toBeLessThan(at('Added (1)'))
    // A row starts with its verdict, then the gated change with its interval, then the short name.
    expect(text).toMatch(/^ {4}REGRESSED +p95 \+\d\d\.\d% \[\+\d\d\.\d%, \+\d\d\.\d%\] +metastock_import/m)
    expect(text).toMatch(/^ {2}@ttapi\/columnar-io$/m)
    expect(text).not.toContain('steady_case_')
    expect(text).not.toContain('unselected_')
    expect(text).toContain('Not listed: 30 unchanged, 12 of the baseline not run')
  })

  it('--wide lists every case and every column', () => {
    const text = renderTerminal(c, CONTEXT, { wide: true })
    for (let i = 0; i < 30; i++) expect(text).toContain(`steady_case_${i}`)
    for (let i = 0; i < 12; i++) expect(text).toContain(`unselected_${i}`)
    expect(text).toMatch(/throughput +rss peak +gc/)
    expect(text).toContain(LONG)
  })

  it('says what is known of a p50 slowdown the gated p95 did not confirm, never "no regressions"', () => {
    // Reference: the p50 case's body moved from 10 to 15.2 ms (+52%) while its 10% tail stayed at 30 ms.
    const onlyP50 = {
      ...c,
      cases: c.cases.filter((x) => x.case !== LONG),
      counts: { ...c.counts, regressed: 0 },
    }
    const line = headline(onlyP50)
    expect(line).toMatch(/^1 case slower on p50 \(\+(4[6-9]|5\d)%\), not confirmed on the gated p95/)
    expect(line).not.toMatch(/no regressions/i)
    const bullets = summaryBullets(onlyP50)
    expect(bullets[0]).toMatch(/1 case slower on p50/)
    expect(bullets.join('\n')).not.toMatch(/no regressions/i)
    expect(renderTerminal(onlyP50, CONTEXT, { columns: 80 })).not.toMatch(/no regressions/i)
  })
})
