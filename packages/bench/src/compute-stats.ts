import { quantile } from './quantile.ts'
import { tCritical } from './t-critical.ts'
import type { SampleStats } from './types.ts'

/**
 * Summary statistics of samples (ms per operation), in any order; the input is not modified.
 * `sd_ms` is the sample standard deviation (n - 1); `rme_pct` is benchmark.js's relative margin of
 * error: t(df = n - 1, 95%) x SEM / mean x 100. Quantiles use {@link quantile} (DuckDB `quantile_cont`).
 *
 * @param samples - Milliseconds per operation, at least one finite value.
 * @returns The statistics; `sd_ms` and `rme_pct` are 0 for a single sample.
 */
export function computeStats(samples: readonly number[]): SampleStats {
  const n = samples.length
  if (n === 0) throw new RangeError('computeStats: Expected at least one sample, got 0')
  for (const x of samples) {
    if (!Number.isFinite(x)) throw new RangeError(`computeStats: Expected finite samples, got \`${String(x)}\``)
  }
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const x of samples) sum += x
  const mean = sum / n
  let ss = 0
  for (const x of samples) ss += (x - mean) * (x - mean)
  const variance = n > 1 ? ss / (n - 1) : 0
  const sd = Math.sqrt(variance)
  const sem = sd / Math.sqrt(n)
  const rme = mean > 0 ? ((tCritical(n - 1) * sem) / mean) * 100 : 0
  return {
    n,
    mean_ms: mean,
    p50_ms: quantile(sorted, 0.5),
    p95_ms: quantile(sorted, 0.95),
    p99_ms: quantile(sorted, 0.99),
    min_ms: sorted[0]!,
    max_ms: sorted[n - 1]!,
    sd_ms: sd,
    rme_pct: rme,
  }
}
