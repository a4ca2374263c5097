import type { RecordedRun, RunMode, StageHistory, StageName } from './types.ts'

const ROWS: readonly [StageName | 'total', string][] = [
  ['collection', 'Symbol collection'],
  ['import', 'EOD import'],
  ['analysis', 'Analysis'],
  ['total', 'Total'],
]

/**
 * A duration as the stage table shows it: `88 ms`, `7.8 s`, `3 min 2 s`.
 * @param ms - Milliseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`
}

/**
 * A speedup cold / cached: `23x`, `4.2x`, `—` when either side is missing.
 * @param cold - Cold time in ms, or null.
 * @param cached - Cached time in ms, or null.
 */
export function formatSpeedup(cold: number | null, cached: number | null): string {
  if (cold === null || cached === null || !(cached > 0)) return '—'
  const x = cold / cached
  return x >= 100 ? `${Math.round(x)}x` : `${x.toFixed(1)}x`
}

/**
 * The stage table — Operation | Cold | Cached | Speedup — from the last cold and the last cached run, as Markdown
 * (readable as plain text too), with a line saying which run each column is. Stages of a cached run that fell back
 * to cold are marked `*`.
 * @param history - The last run of each kind.
 * @param current - The kind of the run that just finished (its column is marked "this run").
 */
export function renderStageTable(history: StageHistory, current: RunMode | null = null): string {
  const cell = (run: RecordedRun | null, key: StageName | 'total'): string => {
    if (run === null) return '—'
    const mark = key !== 'total' && run.fallbacks.includes(key) ? ' *' : ''
    return `${formatDuration(run.ms[key])}${mark}`
  }
  const lines: string[][] = [['Operation', 'Cold', 'Cached', 'Speedup']]
  for (const [key, label] of ROWS) {
    lines.push([
      label,
      cell(history.cold, key),
      cell(history.cached, key),
      formatSpeedup(history.cold?.ms[key] ?? null, history.cached?.ms[key] ?? null),
    ])
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)))
  const row = (l: string[]): string =>
    `| ${l.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`
  const describe = (kind: RunMode, run: RecordedRun | null): string =>
    run === null
      ? `${kind}: no run yet`
      : `${kind}: ${kind === current ? 'this run' : `run of ${run.at}`} (${run.symbols} symbols, ${run.rows.toLocaleString('en-US')} rows)`
  const fellBack = history.cached !== null && history.cached.fallbacks.length > 0
  return [
    row(lines[0]!),
    rule,
    ...lines.slice(1).map(row),
    '',
    `${describe('cold', history.cold)}; ${describe('cached', history.cached)}`,
    ...(fellBack ? ['* the cached run did this stage cold (stale or corrupt cache)'] : []),
    '',
  ].join('\n')
}
