import type { BenchRecord } from './types.ts'

const SI: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
]

/**
 * A number with an SI suffix and 3 significant digits: `1234567` becomes `1.23M`.
 *
 * @param n - The number.
 * @returns Its short form.
 */
export function formatSI(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  for (const [v, s] of SI) if (Math.abs(n) >= v) return `${(n / v).toPrecision(3)}${s}`
  return Math.abs(n) >= 1 || n === 0 ? n.toPrecision(3).replace(/\.?0+$/, '') || '0' : n.toPrecision(3)
}

/**
 * Milliseconds in the most readable unit: `0.000012` becomes `12.0 ns`, `1532` becomes `1.53 s`.
 *
 * @param ms - Milliseconds.
 * @returns Text with unit.
 */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`
  if (ms >= 1) return `${ms.toPrecision(3)} ms`
  if (ms >= 1e-3) return `${(ms * 1e3).toPrecision(3)} µs`
  return `${(ms * 1e6).toPrecision(3)} ns`
}

/**
 * Bytes with a binary suffix: `1536` becomes `1.50 KiB`.
 *
 * @param bytes - Bytes, or null.
 * @returns Text, `-` for null.
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '-'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]!}`
}

/**
 * Heap bytes allocated per op, whole bytes below 1 KiB: `1016.4` becomes `1016 B`.
 *
 * @param bytes - Bytes per op, or null (not measured).
 * @returns Text, `-` for null.
 */
export function formatAllocation(bytes: number | null): string {
  return bytes === null ? '-' : formatBytes(Math.abs(bytes) < 1024 ? Math.round(bytes) : bytes)
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n')
}

/**
 * One table per suite: case, p50, p95, throughput (units/s, SI suffix), rme, peak RSS, heap bytes allocated per op.
 *
 * @param records - Records of the run, in run order.
 * @returns The tables as text.
 */
export function formatTables(records: readonly BenchRecord[]): string {
  const bySuite = new Map<string, BenchRecord[]>()
  for (const r of records) {
    const k = `${r.package} › ${r.suite}`
    const list = bySuite.get(k) ?? []
    list.push(r)
    bySuite.set(k, list)
  }
  const out: string[] = []
  for (const [k, rs] of bySuite) {
    const rows = [['case', 'p50', 'p95', 'throughput', '±rme', 'peak RSS', 'alloc/op']]
    for (const r of rs) {
      const bytes = r.throughput.bytes_per_s === null ? '' : `, ${formatBytes(r.throughput.bytes_per_s)}/s`
      rows.push([
        r.case,
        formatMs(r.stats.p50_ms),
        formatMs(r.stats.p95_ms),
        `${formatSI(r.throughput.items_per_s)} ${r.unit}/s${bytes}`,
        `${r.stats.rme_pct.toFixed(1)}%`,
        formatBytes(r.memory.rss_peak_bytes),
        formatAllocation(r.memory.alloc_bytes_per_op ?? null),
      ])
    }
    out.push(`${k}\n${pad(rows)}`)
  }
  return out.join('\n\n')
}
