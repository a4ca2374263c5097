import { array, number, numbers, object, optionalNumber, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedFile } from './parsed-file.ts'

/**
 * hyperfine `--export-json`: one case per command; `times` (seconds, one per run of the command) are
 * the raw samples; a file without them (hyperfine before 1.6) keeps `mean` and `stddev` as a summary.
 * @example readHyperfine({ file: 'hyperfine.json', format: 'hyperfine' }).cases[0].name // 'sleep 0.01'
 */
export function readHyperfine(ctx: ReadContext): ParsedFile {
  const root = object(ctx, parseJson(ctx, readText(ctx)), '(file)')
  const results = array(ctx, root.results, 'results')
  return {
    tool: 'hyperfine',
    cases: results.map((value, i) => {
      const field = `results[${i}]`
      const r = object(ctx, value, field)
      const name = string(ctx, r.command, `${field}.command`)
      if (r.times !== undefined && r.times !== null)
        return { group: null, name, samplesMs: numbers(ctx, r.times, `${field}.times`, 1000), summary: null }
      return {
        group: null,
        name,
        samplesMs: null,
        summary: {
          n: null,
          mean_ms: number(ctx, r.mean, `${field}.mean`) * 1000,
          sd_ms: optionalNumber(ctx, r.stddev, `${field}.stddev`, 1000),
          rme_pct: null,
        },
      }
    }),
  }
}
