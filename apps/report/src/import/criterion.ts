import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { array, fail, number, object, parseJson, readText, string } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/**
 * criterion.rs's files under `target/criterion` (FILE is that folder, any folder under it, or one
 * `benchmark.json`): every `…/new/benchmark.json` is a case named by its `group_id`, `function_id`
 * and `value_str`; `sample.json`'s `times[i] / iters[i]` (ns per iteration of each sample) are the raw
 * samples; without it `estimates.json`'s mean and std_dev are a summary.
 * @example readCriterion({ file: 'target/criterion', format: 'criterion' })
 */
export function readCriterion(ctx: ReadContext): ParsedFile {
  let stat
  try {
    stat = statSync(ctx.file)
  } catch (error) {
    return fail(ctx, '(file)', `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  const files = stat.isDirectory() ? findBenchmarkFiles(ctx.file) : [ctx.file]
  if (files.length === 0) fail(ctx, '(folder)', 'no */new/benchmark.json under it')
  return { tool: 'criterion', cases: files.map((f) => readOne(ctx, f)) }
}

function findBenchmarkFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name === 'benchmark.json' && basename(dir) === 'new') out.push(path)
    }
  }
  walk(root)
  return out
}

function readOne(ctx: ReadContext, benchmarkFile: string): ParsedCase {
  const dir = dirname(benchmarkFile)
  const rel = (name: string): string => relative(dirname(ctx.file), join(dir, name)) || name
  const b = object(ctx, parseJson(ctx, readText(ctx, benchmarkFile), rel('benchmark.json')), rel('benchmark.json'))
  const group = string(ctx, b.group_id, `${rel('benchmark.json')} group_id`)
  const parts = [b.function_id, b.value_str].filter((x): x is string => typeof x === 'string' && x !== '')
  const name = parts.length > 0 ? parts.join('/') : group
  const sampleFile = join(dir, 'sample.json')
  let exists = true
  try {
    statSync(sampleFile)
  } catch {
    exists = false
  }
  if (exists) {
    const field = rel('sample.json')
    const s = object(ctx, parseJson(ctx, readText(ctx, sampleFile), field), field)
    const iters = array(ctx, s.iters, `${field} iters`)
    const times = array(ctx, s.times, `${field} times`)
    if (iters.length !== times.length)
      fail(ctx, `${field} times`, `expected as many times as iters (${iters.length}), got ${times.length}`)
    const samplesMs = times.map(
      (t, i) => number(ctx, t, `${field} times[${i}]`) / number(ctx, iters[i], `${field} iters[${i}]`, true) / 1e6,
    )
    return { group, name, samplesMs, summary: null }
  }
  const field = rel('estimates.json')
  const e = object(ctx, parseJson(ctx, readText(ctx, join(dir, 'estimates.json')), field), field)
  const mean = object(ctx, e.mean, `${field} mean`)
  const meanMs = number(ctx, mean.point_estimate, `${field} mean.point_estimate`, true) / 1e6
  const ci = object(ctx, mean.confidence_interval, `${field} mean.confidence_interval`)
  const low = number(ctx, ci.lower_bound, `${field} mean.confidence_interval.lower_bound`) / 1e6
  const high = number(ctx, ci.upper_bound, `${field} mean.confidence_interval.upper_bound`) / 1e6
  const sd = object(ctx, e.std_dev, `${field} std_dev`)
  return {
    group,
    name,
    samplesMs: null,
    // The mean's bootstrap interval (95% unless the file says otherwise) as a relative margin of error.
    summary: {
      n: null,
      mean_ms: meanMs,
      sd_ms: number(ctx, sd.point_estimate, `${field} std_dev.point_estimate`) / 1e6,
      rme_pct: ((high - low) / 2 / meanMs) * 100,
    },
  }
}
