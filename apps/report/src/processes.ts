import { quantile, tCritical } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'

/**
 * A record's samples split by the process that measured them, each sorted ascending.
 * @example processSamples(record).length // record.processes.length
 */
export function processSamples(r: Pick<BenchRecord, 'samples_ms' | 'processes'>): Float64Array[] {
  const out: Float64Array[] = []
  let offset = 0
  for (const p of r.processes) {
    out.push(Float64Array.from(r.samples_ms.slice(offset, offset + p.n)).sort())
    offset += p.n
  }
  return out
}

/** Per-process medians that differ by less than this never count as unstable, however tight each process is. */
export const UNSTABLE_MIN_SPREAD = 1.1

/**
 * Whether a side's processes disagree beyond their own noise, as the slowest over the fastest
 * per-process median, or null when they agree (or there is one process). They disagree when that
 * spread is at least {@link UNSTABLE_MIN_SPREAD} and the two processes' 95% intervals of the median
 * (distribution-free, from order statistics: ranks n/2 ± 0.98·√n) do not overlap.
 * @param processes - The side's processes, each sorted ascending.
 * @example unstableSide([fast, slow]) // 2.7 for per-process medians of 27 and 74 ms
 */
export function unstableSide(processes: readonly Float64Array[]): number | null {
  if (processes.length < 2) return null
  const medians = processes.map((p) => quantile(p, 0.5))
  let lo = 0
  let hi = 0
  for (let i = 1; i < medians.length; i++) {
    if (medians[i]! < medians[lo]!) lo = i
    if (medians[i]! > medians[hi]!) hi = i
  }
  const spread = medians[hi]! / medians[lo]!
  if (!(spread >= UNSTABLE_MIN_SPREAD)) return null
  const bounds = (p: Float64Array): [number, number] => {
    const n = p.length
    const half = 0.98 * Math.sqrt(n)
    const low = Math.max(0, Math.floor(n / 2 - half))
    const high = Math.min(n - 1, Math.ceil(n / 2 + half) - 1)
    return [p[low]!, p[high]!]
  }
  const [, fastHigh] = bounds(processes[lo]!)
  const [slowLow] = bounds(processes[hi]!)
  return slowLow > fastHigh ? spread : null
}

/**
 * Student-t 95% intervals of quantile ratios current / baseline with the process as the unit: the
 * log of each process's quantile is one observation, the two sides' variances are pooled, and the
 * interval is exp(mean difference ± t(df) · s · √(1/k₁ + 1/k₂)) with df = k₁ + k₂ − 2. With two or
 * three processes a side a percentile bootstrap of processes is too narrow (resampling 3 processes
 * yields at most 10 distinct draws); the t interval widens as few processes deserve.
 * @param baseline - the baseline's processes, each sorted ascending (at least 2).
 * @param current - the current side's processes, each sorted ascending (at least 2).
 * @param probs - the quantiles (0.5 for the median).
 * @returns one `[low, high]` per entry of `probs`.
 * @example processTIntervals([a1, a2, a3], [b1, b2, b3], [0.5])[0] // [0.97, 1.05]
 */
export function processTIntervals(
  baseline: readonly Float64Array[],
  current: readonly Float64Array[],
  probs: readonly number[],
): [number, number][] {
  const kb = baseline.length
  const kc = current.length
  if (kb < 2 || kc < 2) throw new RangeError('processTIntervals: both sides need 2 or more processes')
  const df = kb + kc - 2
  const t = tCritical(df)
  return probs.map((p) => {
    const xb = baseline.map((x) => Math.log(quantile(x, p)))
    const xc = current.map((x) => Math.log(quantile(x, p)))
    const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length
    const mb = mean(xb)
    const mc = mean(xc)
    const ss = xb.reduce((a, v) => a + (v - mb) ** 2, 0) + xc.reduce((a, v) => a + (v - mc) ** 2, 0)
    const half = t * Math.sqrt(ss / df) * Math.sqrt(1 / kb + 1 / kc)
    return [Math.exp(mc - mb - half), Math.exp(mc - mb + half)]
  })
}
