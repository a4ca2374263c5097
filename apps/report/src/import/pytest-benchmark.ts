import { array, number, numbers, object, optionalNumber, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedFile } from './parsed-file.ts'

/**
 * pytest-benchmark `--benchmark-json`: `stats.data` (seconds per iteration of each round, present
 * with `--benchmark-save-data` or in 3.x output) are the raw samples; without them `mean`, `stddev`
 * and `rounds` are kept as a summary. The `group` (or null) is the suite.
 * @example readPytestBenchmark({ file: 'bench.json', format: 'pytest-benchmark' })
 */
export function readPytestBenchmark(ctx: ReadContext): ParsedFile {
  const root = object(ctx, parseJson(ctx, readText(ctx)), '(file)')
  const benchmarks = array(ctx, root.benchmarks, 'benchmarks')
  return {
    tool: typeof root.version === 'string' ? `pytest-benchmark ${root.version}` : 'pytest-benchmark',
    cases: benchmarks.map((value, i) => {
      const field = `benchmarks[${i}]`
      const b = object(ctx, value, field)
      const name = string(ctx, b.name, `${field}.name`)
      const group = typeof b.group === 'string' && b.group !== '' ? b.group : null
      const stats = object(ctx, b.stats, `${field}.stats`)
      if (stats.data !== undefined && stats.data !== null)
        return { group, name, samplesMs: numbers(ctx, stats.data, `${field}.stats.data`, 1000), summary: null }
      return {
        group,
        name,
        samplesMs: null,
        summary: {
          n: number(ctx, stats.rounds, `${field}.stats.rounds`, true),
          mean_ms: number(ctx, stats.mean, `${field}.stats.mean`) * 1000,
          sd_ms: optionalNumber(ctx, stats.stddev, `${field}.stats.stddev`, 1000),
          rme_pct: null,
        },
      }
    }),
  }
}
