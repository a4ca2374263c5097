import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { compareRuns } from '../src/compare-runs.ts'
import { loadHistory } from '../src/load-history.ts'
import { selectRuns } from '../src/select-runs.ts'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import { tempDir } from './_runs.ts'

// Oracle: DuckDB computes the same quantiles (quantile_cont) and ratios in SQL over the same files.
describe('quantiles and ratios match DuckDB', () => {
  it('p50, p95, their changes and the point ratios equal DuckDB quantile_cont over the raw samples', async () => {
    const dir = tempDir()
    // 37 samples: p95 falls between ranks (h = 34.2), so interpolation is exercised.
    writeSyntheticHistory(dir, { seed: 99, days: 2, labels: ['main', 'pr-1'], cases: 9, samples: 37 })
    const history = await loadHistory(dir)
    const { baseline, current } = selectRuns(history, { baseline: 'main', current: 'pr-1' })
    const comparison = compareRuns(baseline, current)
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const reader = await connection.runAndReadAll(
      `WITH s AS (
         SELECT run.id AS run_id, package, suite, "case", unnest(samples_ms) AS x
         FROM read_ndjson('${dir}/*.ndjson', filename = true, union_by_name = true)),
       q AS (
         SELECT run_id, package, suite, "case", quantile_cont(x, 0.5) AS p50, quantile_cont(x, 0.95) AS p95
         FROM s GROUP BY ALL)
       SELECT c.package, c.suite, c."case", b.p50, c.p50, b.p95, c.p95, c.p50 / b.p50, c.p95 / b.p95
       FROM q c JOIN q b USING (package, suite, "case")
       WHERE c.run_id = '${current.id}' AND b.run_id = '${baseline!.id}'
       ORDER BY 1, 2, 3`,
    )
    const rows = reader.getRows() as [string, string, string, number, number, number, number, number, number][]
    connection.closeSync()
    instance.closeSync()
    expect(rows).toHaveLength(9)
    expect(comparison.cases).toHaveLength(9)
    for (const [pkg, suite, name, b50, c50, b95, c95, r50, r95] of rows) {
      const row = comparison.cases.find((x) => x.package === pkg && x.suite === suite && x.case === name)!
      expect(row.baseline!.p50Ms).toBeCloseTo(b50, 12)
      expect(row.current!.p50Ms).toBeCloseTo(c50, 12)
      expect(row.baseline!.p95Ms).toBeCloseTo(b95, 12)
      expect(row.current!.p95Ms).toBeCloseTo(c95, 12)
      expect(row.intervals!.p50.ratio).toBeCloseTo(r50, 12)
      expect(row.intervals!.p95.ratio).toBeCloseTo(r95, 12)
      expect(row.p95.changePct!).toBeCloseTo((r95 - 1) * 100, 9)
      expect(row.intervals!.p95.low).toBeLessThanOrEqual(row.intervals!.p95.high)
    }
  })
})
