// Number and label formatting shared by the renderers.
import { BUSY_OTHER_CPU_CORES } from '@ttapi/bench'
import { allocationInterval } from './allocation-gate.ts'
import type {
  CaseComparison,
  CaseStatus,
  Comparison,
  GateMetric,
  MetricChange,
  RatioInterval,
  RunSummary,
} from './types.ts'

/** Milliseconds with a unit that keeps 3 significant digits: 0.0123 → "12.3 µs", 4100 → "4.10 s". */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—'
  if (ms >= 1000) return `${sig(ms / 1000)} s`
  if (ms >= 1) return `${sig(ms)} ms`
  if (ms >= 0.001) return `${sig(ms * 1000)} µs`
  return `${sig(ms * 1e6)} ns`
}

/** Items per second with an SI prefix: 1234567 rows → "1.23M rows/s". */
export function formatRate(perS: number | null, unit: string): string {
  if (perS === null || !Number.isFinite(perS)) return '—'
  const prefixes: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [scale, p] of prefixes) if (perS >= scale) return `${sig(perS / scale)}${p} ${unit}/s`
  return `${sig(perS)} ${unit}/s`
}

/** Bytes in binary units: 104857600 → "100 MiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '—'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${sig(v)} ${units[i]}`
}

/** A percent change with its sign: 23.44 → "+23.4%", null → "". */
export function formatChange(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return ''
  const digits = Math.abs(pct) >= 100 ? 0 : 1
  const s = Math.abs(pct).toFixed(digits)
  if (Number(s) === 0) return '±0%'
  return `${pct > 0 ? '+' : '−'}${s}%`
}

/** "value (+x%)" for a metric cell. */
export function cell(value: string, m: MetricChange): string {
  const c = formatChange(m.changePct)
  return c === '' ? value : `${value} (${c})`
}

function sig(v: number): string {
  if (v >= 100) return v.toFixed(0)
  if (v >= 10) return v.toFixed(1)
  return v.toFixed(2)
}

/** Icon and word of a status. */
export const STATUS_LABEL: Record<CaseStatus, string> = {
  regressed: '❌ regressed',
  improved: '✅ improved',
  unchanged: '➖ unchanged',
  inconclusive: '❔ inconclusive',
  added: '🆕 added',
  removed: '🗑️ removed',
  not_run: '· not run',
  not_judged: '⚠️ not judged',
  no_baseline: '— no baseline',
}

/** The status with its flags: "❔ inconclusive, unstable 2.71x (current)" or "⚠️ not judged: other machine". */
export function statusText(c: CaseComparison): string {
  const why = c.notJudged === null ? '' : `: ${c.notJudged.replace('_', ' ')}`
  const unstable = c.unstable === null ? '' : `, unstable ${c.unstable.spread.toFixed(2)}x (${c.unstable.side})`
  const busyCores = Math.max(c.baseline?.otherCpuCores ?? 0, c.current?.otherCpuCores ?? 0)
  const busy =
    c.notJudged !== 'busy' && busyCores > BUSY_OTHER_CPU_CORES ? `, busy machine (${busyCores.toFixed(2)} cores)` : ''
  return `${STATUS_LABEL[c.status]}${why}${unstable}${busy}`
}

/** `@ttapi/cache › lookups › get_hot`: package › suite › case. */
export function caseName(c: Pick<CaseComparison, 'package' | 'suite' | 'case'>): string {
  return `${c.package} › ${c.suite} › ${c.case}`
}

/** The gate change column: the gated metric's change with its interval, e.g. "p95 +23.4% [+18.0%, +29.1%]". */
export function gateChange(c: CaseComparison): string {
  const g = gateInterval(c)
  if (g === null) return ''
  const i = g.interval
  return `${g.metric} ${formatChange((i.ratio - 1) * 100)} [${formatChange((i.low - 1) * 100)}, ${formatChange((i.high - 1) * 100)}]`
}

/** The metric that decided a case's verdict (else its first gated metric) and that metric's ratio interval; null when the case has none. */
export function gateInterval(c: CaseComparison): { metric: GateMetric; interval: RatioInterval } | null {
  if (c.intervals === null) return null
  const metric = c.metrics.find((m) => m.verdict === c.status)?.metric ?? c.metrics[0]?.metric ?? 'p95'
  if (metric !== 'alloc') return { metric, interval: c.intervals[metric] }
  const alloc = allocationInterval(c.baseline?.processAllocBytesPerOp ?? [], c.current?.processAllocBytesPerOp ?? [])
  return alloc === null ? { metric: 'p95', interval: c.intervals.p95 } : { metric, interval: alloc }
}

/** "main @abc1234 (2026-11-26 10:00 UTC)". */
export function runLine(run: RunSummary): string {
  const commit = run.commit ? ` @${run.commit.slice(0, 7)}${run.dirty ? '+dirty' : ''}` : ''
  const branch = run.branch && run.branch !== run.label ? ` (branch ${run.branch})` : ''
  return `${run.label}${branch}${commit}, ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC, run ${run.id}, on ${run.machine.name}`
}

/** "linux 6.8.0 x64 · AMD EPYC ×2 · 22.4 GiB · Node 20.20.2 · quick profile · fingerprint 0123456789abcdef". */
export function envLine(run: RunSummary): string {
  const e = run.env
  return [
    [e.os, e.os_release, e.arch].filter((x) => x !== null).join(' '),
    `${e.cpu_model ?? 'unknown CPU'}${e.cores !== null ? ` ×${e.cores}` : ''}`,
    formatBytes(e.mem_bytes),
    `Node ${e.node ?? '?'}`,
    `${run.config.profile} profile`,
    e.ci === true ? 'CI' : null,
    `fingerprint ${run.fingerprints.join(' + ')}`,
  ]
    .filter((x) => x !== null && x !== '')
    .join(' · ')
}

/** The loud warning every output carries when the fingerprints differ, or null. */
export function envWarning(c: Comparison): string | null {
  if (!c.fingerprintMismatch || c.baseline === null) return null
  const diffs = c.envDifferences.map((d) => `${d.field} ${JSON.stringify(d.baseline)} → ${JSON.stringify(d.current)}`)
  const mismatched = c.cases.filter((x) => x.fingerprintMismatch).length
  const compared = c.cases.filter((x) => x.baseline !== null && x.current !== null).length
  return (
    `ENVIRONMENTS DIFFER: ${mismatched} of ${compared} compared case(s) ran with a different fingerprint ` +
    `(baseline ${c.baseline.fingerprints.join(' + ')} vs current ${c.current.fingerprints.join(' + ')})` +
    `${diffs.length > 0 ? ` (${diffs.join('; ')})` : ''}. Compared anyway: a change may come from the machine, not the code (--strict-env refuses).`
  )
}
