import { appendFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { quantile } from '@ttapi/bench'
import { describe, expect, it } from 'vitest'
import { compactHistory } from '../src/compact-history.ts'
import { loadHistory } from '../src/load-history.ts'
import { AGGREGATES_DIR, historyAggregates, loadRunAggregates } from '../src/run-aggregates.ts'
import type { AggregateSeries } from '../src/run-aggregates.ts'
import { INDEX_DIR, loadRunIndex } from '../src/run-index.ts'
import { syntheticRecord, writeSyntheticHistory } from '../src/_synthetic.ts'
import { tempDir, writeLines } from './_runs.ts'

/** Relative difference, 0 when both are equal (also both 0). */
const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)))

function expectSameSeries(got: AggregateSeries[], want: AggregateSeries[]): void {
  expect(got.map((s) => [s.key, s.profile, s.machineId, s.unit])).toEqual(
    want.map((s) => [s.key, s.profile, s.machineId, s.unit]),
  )
  got.forEach((s, i) => {
    const w = want[i]!
    expect(s.run).toEqual(w.run)
    expect(s.n).toEqual(w.n)
    expect(s.fingerprint).toEqual(w.fingerprint)
    expect(s.rssPeakBytes).toEqual(w.rssPeakBytes)
    for (const k of ['p5', 'p50', 'p95', 'itemsPerS', 'itemsPerOp'] as const)
      s[k].forEach((v, j) => expect(rel(v, w[k][j]!), `${s.key} ${k}[${j}]`).toBeLessThanOrEqual(1e-12))
  })
}

describe('loadRunAggregates (issue 18: trends in SQL)', () => {
  it("DuckDB's p5/p50/p95 equal @ttapi/bench quantile over each record's samples", async () => {
    const dir = tempDir()
    // Odd and even sample counts (29, 30) and 2 samples: every interpolation branch.
    writeSyntheticHistory(dir, { seed: 11, days: 6, labels: ['main', 'pr'], cases: 9, samples: 29 })
    writeSyntheticHistory(dir, { seed: 12, days: 3, labels: ['main'], cases: 5, samples: 30, start: '2026-02-01' })
    writeSyntheticHistory(dir, { seed: 13, days: 2, labels: ['main'], cases: 3, samples: 2, start: '2026-03-01' })
    const got = await loadRunAggregates(await loadRunIndex(dir))
    // Reference: quantile() from @ttapi/bench over every record read whole in JS.
    const want = historyAggregates(await loadHistory(dir))
    expect(got.aggregates.reduce((n, s) => n + s.run.length, 0)).toBe(6 * 2 * 9 + 3 * 5 + 2 * 3)
    expectSameSeries(got.aggregates, want.aggregates)
    // Spot check one value against quantile() directly, from the raw line.
    const h = await loadHistory(dir)
    const rec = h.runs[0]!.records.find((r) => r.record.case === 'case_0')!.record
    const s = got.aggregates.find((x) => x.key === '@ttapi/analysis/suite_0/case_0')!
    expect(s.p95[0]).toBe(quantile(Float64Array.from(rec.samples_ms).sort(), 0.95))
    expect(got.computedFiles).toBe(6 * 2 + 3 + 2)
  })

  it('reads only the runs and the case asked for, and still lists every case key (changepoints CASE at 10M records)', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 21, days: 5, labels: ['main', 'pr-a', 'pr-b'], cases: 6, samples: 12 })
    const index = await loadRunIndex(dir)
    const all = await loadRunAggregates(index)
    const main = await loadRunAggregates(index, { runs: (r) => r.label === 'main' })
    // Reference: the whole history's series, each cut to its main runs' points.
    const isMain = (i: number): boolean => index.runs[i]!.label === 'main'
    const want = all.aggregates.map((s) => {
      const at = s.run.flatMap((r, i) => (isMain(r) ? [i] : []))
      const pick = <T>(xs: T[]): T[] => at.map((i) => xs[i]!)
      return {
        ...s,
        run: pick(s.run),
        n: pick(s.n),
        p5: pick(s.p5),
        p50: pick(s.p50),
        p95: pick(s.p95),
        itemsPerS: pick(s.itemsPerS),
        itemsPerOp: pick(s.itemsPerOp),
        rssPeakBytes: pick(s.rssPeakBytes),
        fingerprint: pick(s.fingerprint),
      }
    })
    expectSameSeries(main.aggregates, want)
    expect(main.aggregates.every((s) => s.run.length === 5)).toBe(true)
    // Files of the PR runs were never aggregated: a fresh history computes only the 5 main files.
    const fresh = tempDir()
    writeSyntheticHistory(fresh, { seed: 21, days: 5, labels: ['main', 'pr-a', 'pr-b'], cases: 6, samples: 12 })
    const freshMain = await loadRunAggregates(await loadRunIndex(fresh), { runs: (r) => r.label === 'main' })
    expect(freshMain.computedFiles).toBe(5)
    const one = await loadRunAggregates(index, { case: 'suite_3/case_3' })
    expect(one.aggregates.map((s) => s.key)).toEqual(['@ttapi/columnar-io/suite_3/case_3'])
    expectSameSeries(
      one.aggregates,
      all.aggregates.filter((s) => s.key === '@ttapi/columnar-io/suite_3/case_3'),
    )
    expect([...one.keys!].sort()).toEqual([...new Set(all.aggregates.map((s) => s.key))].sort())
  })

  it('keeps no line the run index holds bad (bad lines are still counted and named)', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 3, days: 2, labels: ['main'], cases: 3, samples: 10 })
    const run = { id: 'run-x', label: 'pr-1', startedAt: '2026-03-01T12:00:00.000Z', commit: 'feedface00' }
    const rec = (c: string, samples = [1, 2, 3]) =>
      syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: c, samples })
    writeLines(dir, '2026-03-01_pr-1.ndjson', [
      rec('a'),
      rec('b', [1, -2, 3]), // negative sample: valid JSON, parses in DuckDB, bad by the schema rule
      '{"schema": "ttapi.bench/v2", ', // malformed JSON
      rec('a', [7, 8, 9]), // duplicate case of run-x
      rec('c', [4, 5, 6]),
    ])
    const index = await loadRunIndex(dir)
    expect(index.badLines.map((b) => b.line)).toEqual([2, 3, 4])
    const got = await loadRunAggregates(index)
    const x = got.aggregates.filter((s) => s.package === '@ttapi/x')
    expect(x.map((s) => [s.case, s.p50])).toEqual([
      ['a', [2]],
      ['c', [5]],
    ])
    expectSameSeries(got.aggregates, historyAggregates(await loadHistory(dir)).aggregates)
  })

  it("appending a run recomputes that file's aggregates only", async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 5, days: 4, labels: ['main'], cases: 4, samples: 10 })
    const first = await loadRunAggregates(await loadRunIndex(dir))
    expect(first.computedFiles).toBe(4)
    const cacheDir = join(dir, INDEX_DIR, AGGREGATES_DIR)
    expect(readdirSync(cacheDir).sort()).toEqual(
      readdirSync(dir)
        .filter((f) => f.endsWith('.ndjson'))
        .map((f) => `${f}.agg`),
    )
    const before = new Map(readdirSync(cacheDir).map((f) => [f, statSync(join(cacheDir, f)).mtimeMs]))
    expect((await loadRunAggregates(await loadRunIndex(dir))).computedFiles).toBe(0)
    // A second run on the last day, appended to that day's file.
    const last = '2026-01-04_main.ndjson'
    const run = { id: 'late-run', label: 'main', startedAt: '2026-01-04T18:00:00.000Z', commit: 'abcdef1234' }
    appendFileSync(
      join(dir, last),
      `${JSON.stringify(syntheticRecord(run, { package: '@ttapi/cache', suite: 'suite_1', case: 'case_1', samples: [3, 1, 2, 4] }))}\n`,
    )
    const after = await loadRunAggregates(await loadRunIndex(dir))
    expect(after.computedFiles).toBe(1)
    for (const [f, mtime] of before) if (f !== `${last}.agg`) expect(statSync(join(cacheDir, f)).mtimeMs, f).toBe(mtime)
    const s = after.aggregates.find((x) => x.key === '@ttapi/cache/suite_1/case_1')!
    expect(s.run.length).toBe(5)
    expect(s.p50.at(-1)).toBe(2.5) // quantile([1, 2, 3, 4], 0.5)
    expectSameSeries(after.aggregates, historyAggregates(await loadHistory(dir)).aggregates)
  })

  it('reads a compacted history: the aggregates of days moved into Parquet equal those of their NDJSON files', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, {
      seed: 21,
      days: 45,
      labels: ['main', 'pr'],
      cases: 4,
      samples: 15,
      start: '2026-01-20',
    })
    const before = await loadRunAggregates(await loadRunIndex(dir))
    // January and February move into 2026-01.parquet and 2026-02.parquet; March stays NDJSON.
    await compactHistory(dir, { before: '2026-03-01' })
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.parquet'))
        .sort(),
    ).toEqual(['2026-01.parquet', '2026-02.parquet'])
    const after = await loadRunAggregates(await loadRunIndex(dir))
    expect(after.computedFiles).toBe(80)
    expect(after.runs.map((r) => r.id)).toEqual(before.runs.map((r) => r.id))
    expectSameSeries(after.aggregates, before.aggregates)
    // Reference: quantile() over every record read whole from the mixed history.
    expectSameSeries(after.aggregates, historyAggregates(await loadHistory(dir)).aggregates)
    expect((await loadRunAggregates(await loadRunIndex(dir))).computedFiles).toBe(0)
  })
})
