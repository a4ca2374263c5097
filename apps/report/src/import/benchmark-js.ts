import { array, number, numbers, object, optionalNumber, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/**
 * benchmark.js and benny, both in seconds per op. benny's `save({ format: 'json' })` file: with
 * `details: true` its `details.sampleResults` are the raw samples; without details only `ops` (rounded)
 * and `margin` (rme, %) remain — a summary of a mean and an rme, nothing else. benchmark.js has no file
 * output of its own: an array of its Benchmark objects serialised as JSON (`name`, `stats`) is read,
 * `stats.sample` being the samples.
 * @example readBenchmarkJs({ file: 'benny.json', format: 'benchmarkjs' })
 */
export function readBenchmarkJs(ctx: ReadContext): ParsedFile {
  const root = parseJson(ctx, readText(ctx))
  if (Array.isArray(root)) return { tool: 'benchmark.js', cases: root.map((v, i) => benchmark(ctx, v, `[${i}]`)) }
  const suite = object(ctx, root, '(file)')
  const group = typeof suite.name === 'string' ? suite.name : null
  const results = array(ctx, suite.results, 'results')
  return {
    tool: typeof suite.version === 'string' ? `benny (suite version ${suite.version})` : 'benny',
    cases: results.map((value, i): ParsedCase => {
      const field = `results[${i}]`
      const r = object(ctx, value, field)
      const name = string(ctx, r.name, `${field}.name`)
      if (r.details === undefined || r.details === null) {
        const ops = number(ctx, r.ops, `${field}.ops`, true)
        return {
          group,
          name,
          samplesMs: null,
          summary: { n: null, mean_ms: 1000 / ops, sd_ms: null, rme_pct: number(ctx, r.margin, `${field}.margin`) },
        }
      }
      const d = object(ctx, r.details, `${field}.details`)
      if (d.sampleResults !== undefined)
        return {
          group,
          name,
          samplesMs: numbers(ctx, d.sampleResults, `${field}.details.sampleResults`, 1000),
          summary: null,
        }
      return {
        group,
        name,
        samplesMs: null,
        summary: {
          n: null,
          mean_ms: number(ctx, d.mean, `${field}.details.mean`) * 1000,
          sd_ms: optionalNumber(ctx, d.standardDeviation, `${field}.details.standardDeviation`, 1000),
          rme_pct: optionalNumber(ctx, d.relativeMarginOfError, `${field}.details.relativeMarginOfError`),
        },
      }
    }),
  }
}

/** One serialised benchmark.js Benchmark. */
function benchmark(ctx: ReadContext, value: unknown, field: string): ParsedCase {
  const b = object(ctx, value, field)
  const name = string(ctx, b.name, `${field}.name`)
  const stats = object(ctx, b.stats, `${field}.stats`)
  if (Array.isArray(stats.sample) && stats.sample.length > 0)
    return { group: null, name, samplesMs: numbers(ctx, stats.sample, `${field}.stats.sample`, 1000), summary: null }
  return {
    group: null,
    name,
    samplesMs: null,
    summary: {
      n: null,
      mean_ms: number(ctx, stats.mean, `${field}.stats.mean`) * 1000,
      sd_ms: optionalNumber(ctx, stats.deviation, `${field}.stats.deviation`, 1000),
      rme_pct: optionalNumber(ctx, stats.rme, `${field}.stats.rme`),
    },
  }
}
