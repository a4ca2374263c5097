import { array, fail, number, numbers, object, optionalNumber, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedFile } from './parsed-file.ts'

/**
 * tinybench has no file output of its own: this reads its documented results serialised as JSON,
 * `JSON.stringify(bench.tasks.map(({ name, result }) => ({ name, result })))`. `result.samples`
 * (tinybench 2, ms) or `result.latency.samples` (tinybench 3+) are the raw samples; without them the
 * mean, sd, sample count and rme are a summary. A task whose `result.error` is set is refused.
 * @example readTinybench({ file: 'tinybench.json', format: 'tinybench' })
 */
export function readTinybench(ctx: ReadContext): ParsedFile {
  const tasks = array(ctx, parseJson(ctx, readText(ctx)), '(file)')
  return {
    tool: 'tinybench',
    cases: tasks.map((value, i) => {
      const field = `[${i}]`
      const t = object(ctx, value, field)
      const name = string(ctx, t.name, `${field}.name`)
      const result = object(ctx, t.result, `${field}.result`)
      if (result.error !== undefined && result.error !== null)
        fail(ctx, `${field}.result.error`, `the task failed: ${JSON.stringify(result.error)}`)
      const latency = result.latency === undefined ? result : object(ctx, result.latency, `${field}.result.latency`)
      const at = result.latency === undefined ? `${field}.result` : `${field}.result.latency`
      if (Array.isArray(latency.samples) && latency.samples.length > 0)
        return { group: null, name, samplesMs: numbers(ctx, latency.samples, `${at}.samples`, 1), summary: null }
      const n = latency.samplesCount ?? latency.samples_count
      return {
        group: null,
        name,
        samplesMs: null,
        summary: {
          n: n === undefined ? null : number(ctx, n, `${at}.samplesCount`, true),
          mean_ms: number(ctx, latency.mean, `${at}.mean`),
          sd_ms: optionalNumber(ctx, latency.sd, `${at}.sd`),
          rme_pct: optionalNumber(ctx, latency.rme, `${at}.rme`),
        },
      }
    }),
  }
}
