// A tool's output file with every time in it multiplied by a factor (throughputs divided): the same
// measurements, slowed by a known ratio, for the import tests' regressions.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Keys whose numbers are times (or spreads of times) in the formats the import reads. */
const TIME_KEYS = new Set([
  'times',
  'mean',
  'median',
  'min',
  'max',
  'stddev',
  'sd',
  'data',
  'sample',
  'samples',
  'sampleResults',
  'real_time',
  'cpu_time',
  'avg',
  'p25',
  'p50',
  'p75',
  'p99',
  'p995',
  'p999',
  'standardDeviation',
  'deviation',
  'moe',
  'sem',
  'period',
  'marginOfError',
  'standardErrorOfMean',
  'iqr',
  'q1',
  'q3',
])
/** Keys whose numbers are rates: divided by the factor. */
const RATE_KEYS = new Set(['ops', 'hz'])

function scale(value: unknown, factor: number, key: string | null): unknown {
  if (typeof value === 'number')
    return key !== null && TIME_KEYS.has(key)
      ? value * factor
      : key !== null && RATE_KEYS.has(key)
        ? value / factor
        : value
  if (Array.isArray(value)) return value.map((v) => scale(v, factor, key))
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scale(v, factor, k)]))
  return value
}

/**
 * Writes `to`: `from` with its times multiplied by `factor`. JSON formats by key; Go text by its
 * `ns/op` figures; a criterion folder by the `times` of each `sample.json` (`mean` and `std_dev` of `estimates.json`).
 * @param format - the import format.
 */
export function slowedCopy(format: string, from: string, to: string, factor: number): void {
  if (format === 'go') {
    const text = readFileSync(from, 'utf8').replace(
      /(\s)([\d.]+) ns\/op/g,
      (_m, s: string, v: string) => `${s}${Number(v) * factor} ns/op`,
    )
    writeFileSync(to, text)
    return
  }
  if (format === 'criterion') {
    cpSync(from, to, { recursive: true })
    const dir = join(to, 'Fibonacci', 'iterative', 'new')
    const sample = JSON.parse(readFileSync(join(dir, 'sample.json'), 'utf8')) as { times: number[] }
    sample.times = sample.times.map((t) => t * factor)
    writeFileSync(join(dir, 'sample.json'), JSON.stringify(sample))
    return
  }
  writeFileSync(to, JSON.stringify(scale(JSON.parse(readFileSync(from, 'utf8')), factor, null)))
}
