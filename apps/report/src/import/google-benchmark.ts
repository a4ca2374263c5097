import { array, fail, number, object, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/** Google Benchmark `time_unit` → ms. */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 }

/**
 * Google Benchmark `--benchmark_out_format=json`: per `run_name`, the `iteration` rows' `real_time`
 * (each the mean over its `iterations`) are the samples — one per repetition, so
 * `--benchmark_repetitions=N` gives N; a single row is a summary (mean over its iterations, no
 * spread). Aggregate rows (mean, median, stddev) are read only when no iteration row is present.
 * @example readGoogleBenchmark({ file: 'gbench.json', format: 'google-benchmark' })
 */
export function readGoogleBenchmark(ctx: ReadContext): ParsedFile {
  const root = object(ctx, parseJson(ctx, readText(ctx)), '(file)')
  const context = root.context === undefined ? {} : object(ctx, root.context, 'context')
  const rows = array(ctx, root.benchmarks, 'benchmarks')
  const iterations = new Map<string, { ms: number[]; iterations: number }>()
  const aggregates = new Map<string, Record<string, { ms: number; n: number }>>()
  rows.forEach((value, i) => {
    const field = `benchmarks[${i}]`
    const r = object(ctx, value, field)
    const name = string(ctx, r.name, `${field}.name`)
    if (r.error_occurred === true)
      fail(ctx, `${field}.error_message`, `the benchmark failed: ${String(r.error_message)}`)
    const runName = typeof r.run_name === 'string' ? r.run_name : name
    const unit = string(ctx, r.time_unit, `${field}.time_unit`)
    const scale = UNIT_MS[unit]
    if (scale === undefined) fail(ctx, `${field}.time_unit`, `expected ns, us, ms or s, got ${JSON.stringify(unit)}`)
    const ms = number(ctx, r.real_time, `${field}.real_time`) * scale
    if (r.run_type === 'aggregate') {
      const kind = string(ctx, r.aggregate_name, `${field}.aggregate_name`)
      const entry = aggregates.get(runName) ?? {}
      entry[kind] = { ms, n: typeof r.repetitions === 'number' ? r.repetitions : 0 }
      aggregates.set(runName, entry)
      return
    }
    const e = iterations.get(runName) ?? { ms: [], iterations: 0 }
    e.ms.push(ms)
    e.iterations = number(ctx, r.iterations, `${field}.iterations`, true)
    iterations.set(runName, e)
  })
  const cases: ParsedCase[] = []
  for (const [name, e] of iterations)
    cases.push(
      e.ms.length > 1
        ? { group: null, name, samplesMs: e.ms, summary: null }
        : {
            group: null,
            name,
            samplesMs: null,
            summary: { n: e.iterations, mean_ms: e.ms[0]!, sd_ms: null, rme_pct: null },
          },
    )
  for (const [name, a] of aggregates) {
    if (iterations.has(name)) continue
    if (a.mean === undefined) fail(ctx, `benchmarks (${name})`, 'an aggregate-only result needs its mean row')
    cases.push({
      group: null,
      name,
      samplesMs: null,
      summary: { n: a.mean.n > 0 ? a.mean.n : null, mean_ms: a.mean.ms, sd_ms: a.stddev?.ms ?? null, rme_pct: null },
    })
  }
  const version = typeof context.library_version === 'string' ? ` ${context.library_version}` : ''
  return { tool: `google-benchmark${version}`, cases }
}
