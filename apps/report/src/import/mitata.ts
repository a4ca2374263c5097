import { array, fail, number, numbers, object, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/**
 * mitata `run({ format: 'json' })` (or `{ json: { samples, debug } }`): every run of every benchmark
 * is a case; `stats.samples` (ns per iteration, which mitata keeps sorted, not in measured order) are
 * the raw samples; with `samples: false` only `avg` is left — a summary without spread. A run with an
 * `error` is refused.
 * @example readMitata({ file: 'mitata.json', format: 'mitata' })
 */
export function readMitata(ctx: ReadContext): ParsedFile {
  const root = object(ctx, parseJson(ctx, readText(ctx)), '(file)')
  const context = root.context === undefined ? {} : object(ctx, root.context, 'context')
  const cases: ParsedCase[] = []
  array(ctx, root.benchmarks, 'benchmarks').forEach((bv, bi) => {
    const bField = `benchmarks[${bi}]`
    const b = object(ctx, bv, bField)
    array(ctx, b.runs, `${bField}.runs`).forEach((rv, ri) => {
      const field = `${bField}.runs[${ri}]`
      const r = object(ctx, rv, field)
      if (r.error !== undefined && r.error !== null)
        fail(ctx, `${field}.error`, `the benchmark failed: ${JSON.stringify(r.error)}`)
      const name = string(ctx, r.name, `${field}.name`)
      const stats = object(ctx, r.stats, `${field}.stats`)
      if (Array.isArray(stats.samples) && stats.samples.length > 0)
        cases.push({
          group: null,
          name,
          samplesMs: numbers(ctx, stats.samples, `${field}.stats.samples`, 1e-6),
          summary: null,
        })
      else
        cases.push({
          group: null,
          name,
          samplesMs: null,
          summary: {
            n: null,
            mean_ms: number(ctx, stats.avg, `${field}.stats.avg`) * 1e-6,
            sd_ms: null,
            rme_pct: null,
          },
        })
    })
  })
  const version = typeof context.version === 'string' ? ` ${context.version}` : ''
  const runtime = typeof context.runtime === 'string' ? ` (${context.runtime}${version})` : ''
  return { tool: `mitata${runtime}`, cases }
}
