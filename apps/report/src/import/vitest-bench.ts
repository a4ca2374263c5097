import { array, number, numbers, object, optionalNumber, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/**
 * `vitest bench --outputJson FILE`: files → groups → benchmarks (tinybench results, ms). vitest 1+
 * writes `samples: []`, so a benchmark is a summary (`mean`, `sd`, `sampleCount`, `rme`); samples are
 * kept when present. The group's `fullName` (`file > describe`) is the suite.
 * @example readVitestBench({ file: 'bench.json', format: 'vitest' })
 */
export function readVitestBench(ctx: ReadContext): ParsedFile {
  const root = object(ctx, parseJson(ctx, readText(ctx)), '(file)')
  const cases: ParsedCase[] = []
  array(ctx, root.files, 'files').forEach((fv, fi) => {
    const f = object(ctx, fv, `files[${fi}]`)
    array(ctx, f.groups, `files[${fi}].groups`).forEach((gv, gi) => {
      const gField = `files[${fi}].groups[${gi}]`
      const g = object(ctx, gv, gField)
      const group = string(ctx, g.fullName, `${gField}.fullName`)
      array(ctx, g.benchmarks, `${gField}.benchmarks`).forEach((bv, bi) => {
        const field = `${gField}.benchmarks[${bi}]`
        const b = object(ctx, bv, field)
        const name = string(ctx, b.name, `${field}.name`)
        if (Array.isArray(b.samples) && b.samples.length > 0)
          cases.push({ group, name, samplesMs: numbers(ctx, b.samples, `${field}.samples`, 1), summary: null })
        else
          cases.push({
            group,
            name,
            samplesMs: null,
            summary: {
              n: number(ctx, b.sampleCount, `${field}.sampleCount`, true),
              mean_ms: number(ctx, b.mean, `${field}.mean`),
              sd_ms: optionalNumber(ctx, b.sd, `${field}.sd`),
              rme_pct: optionalNumber(ctx, b.rme, `${field}.rme`),
            },
          })
      })
    })
  })
  return { tool: 'vitest bench', cases }
}
