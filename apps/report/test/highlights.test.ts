import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { syntheticRecord } from '../src/_synthetic.ts'
import type { SyntheticCase, SyntheticRun } from '../src/_synthetic.ts'
import type { Highlights } from '../src/highlights.ts'
import { runReport, tempDir, writeLines } from './_runs.ts'

const run = runReport

/** 21 samples symmetric around `median` (±1%), so their p50 is exactly `median`. */
const around = (median: number): number[] => Array.from({ length: 21 }, (_, i) => median * (1 + (i - 10) / 1000))

function c(pkg: string, suite: string, name: string, median: number, more: Partial<SyntheticCase> = {}): SyntheticCase {
  return { package: pkg, suite, case: name, samples: around(median), processes: [10, 11], ...more }
}

/**
 * Known figures: cold 1,000 ms vs cached 80 ms (12.5x); MetaStock 1,000,000 rows in 50 ms (20.0M/s);
 * CSV import 200 MB peak RSS vs DuckDB 500 MB (2.50x less). Five main runs on `vm-a` three days
 * apart; the third has pipeline_watch_refresh_cached 30% slower than the second (a confirmed regression), so the
 * streak is runs 3-5: 6 days, 3 runs. A PR run with a 100x "speed-up" and a run on `vm-b` are ignored.
 */
function history(options: { withPeer: boolean }): string {
  const dir = tempDir()
  const day = (d: number): string => new Date(Date.UTC(2026, 10, 1 + d, 10)).toISOString()
  for (let i = 0; i < 5; i++) {
    const r: SyntheticRun = {
      id: `main-${i + 1}`,
      label: 'main',
      startedAt: day(3 * i),
      commit: `c0ffee${i}aaaa`,
      machine: 'vm-a',
    }
    const cached = i >= 2 ? 80 * 1.3 : 80
    writeLines(dir, `${day(3 * i).slice(0, 10)}_main.ndjson`, [
      syntheticRecord(r, c('@ttapi/pipeline', 'pipeline', 'pipeline_watch_refresh_cold', 1000)),
      syntheticRecord(r, c('@ttapi/pipeline', 'pipeline', 'pipeline_watch_refresh_cached', cached)),
      syntheticRecord(r, c('@ttapi/columnar-io', 'columnar_io', 'metastock_import', 50, { itemsPerOp: 1_000_000 })),
      syntheticRecord(r, c('@ttapi/columnar-io', 'columnar_io', 'csv_import', 40, { rssPeakBytes: 200_000_000 })),
      ...(options.withPeer
        ? [
            syntheticRecord(
              r,
              c('@ttapi/columnar-io', 'columnar_io', 'csv_import_duckdb', 90, { rssPeakBytes: 500_000_000 }),
            ),
          ]
        : []),
    ])
  }
  const pr: SyntheticRun = { id: 'pr-1', label: 'pr-7', startedAt: day(13), commit: 'beefbeef', machine: 'vm-a' }
  const other: SyntheticRun = { id: 'b-1', label: 'main', startedAt: day(14), commit: 'abcabc', machine: 'vm-b' }
  writeLines(dir, '2026-11-14_pr-7.ndjson', [
    syntheticRecord(pr, c('@ttapi/pipeline', 'pipeline', 'pipeline_watch_refresh_cached', 10)),
  ])
  writeLines(dir, '2026-11-15_main.ndjson', [
    syntheticRecord(other, c('@ttapi/pipeline', 'pipeline', 'pipeline_watch_refresh_cold', 5)),
  ])
  return dir
}

describe('report highlights (generated history with known figures)', () => {
  it('gives each headline from the newest main run holding its cases, and the regression-free streak', async () => {
    const dir = history({ withPeer: true })
    const html = join(dir, 'report.html')
    const [json, md, page] = await Promise.all([
      run(['highlights', '--history', dir, '--format', 'json']),
      run(['highlights', '--history', dir]),
      run(['--history', dir, '--format', 'html', '--out', html]),
    ])
    expect(json.code).toBe(0)
    const h = JSON.parse(json.stdout) as Highlights
    const byTitle = new Map(h.figures.map((f) => [f.title, f]))
    // vm-b's newer main run holds only pipeline_watch_refresh_cold, so the pipeline figure comes from main-5 on vm-a: 1000 / 104.
    expect(byTitle.get('Cached pipeline vs cold (ttapi watch refresh)')).toMatchObject({
      figure: `${(1000 / 104).toFixed(1)}× faster`,
      run: { id: 'main-5' },
      machine: { id: 'vm-a' },
    })
    expect(byTitle.get('MetaStock import')!.figure).toBe('20.0M ops/s')
    expect(byTitle.get('CSV import memory vs DuckDB (same run)')!.figure).toBe('2.50× less peak memory')
    expect(h.streak).toMatchObject({
      days: 6,
      runs: 3,
      machine: { id: 'vm-a' },
      from: { id: 'main-3' },
      to: { id: 'main-5' },
      lastRegression: { run: { id: 'main-3' }, cases: ['pipeline/pipeline_watch_refresh_cached'] },
    })
    expect(md.code).toBe(0)
    expect(md.stdout).toContain('## Performance Highlights')
    expect(md.stdout).toMatch(
      /- \*\*Cached pipeline vs cold \(ttapi watch refresh\): 9\.6× faster\*\* — .*\[run main-5\]\(benchmarks\/2026-11-13_main\.ndjson\) @c0ffee4.*on \[vm-a\]\(#machine-vm-a\)\. Reproduce: `pnpm --filter @ttapi\/pipeline bench/,
    )
    expect(md.stdout).toContain('**No confirmed regression on main in 6 days** (3 runs on [vm-a](#machine-vm-a)')
    expect(md.stdout).toMatch(/<a id="machine-vm-a"><\/a>`vm-a`\n/)
    // The same section in the HTML report.
    expect(page.code).toBe(0)
    const doc = readFileSync(html, 'utf8')
    expect(doc).toContain('<section id="highlights"><h2>Performance Highlights</h2>')
    expect(doc).toContain('<b>Cached pipeline vs cold (ttapi watch refresh): 9.6× faster</b>')
    expect(doc).toContain('<a href="benchmarks/2026-11-13_main.ndjson">run main-5</a>')
    // A machine named by BENCH_MACHINE (its id is its name) is said once.
    expect(doc).toContain('<li id="machine-vm-a"><code>vm-a</code></li>')
    expect(doc).toContain('<b>No confirmed regression on main in 6 days</b>')
  })

  it('leaves out a headline with no comparable run instead of estimating it', async () => {
    const dir = history({ withPeer: false })
    const r = await run(['highlights', '--history', dir, '--format', 'json'])
    const h = JSON.parse(r.stdout) as Highlights
    expect(h.figures.map((f) => f.title)).not.toContain('CSV import memory vs DuckDB (same run)')
    expect(h.missing).toEqual([
      {
        title: 'CSV import memory vs DuckDB (same run)',
        why: 'no main run holds columnar_io/csv_import and columnar_io/csv_import_duckdb',
      },
    ])
  })
})
