import {
  caseName,
  cell,
  envLine,
  envWarning,
  formatBytes,
  formatMs,
  formatRate,
  gateChange,
  runLine,
  statusText,
} from './_format.ts'
import { formatAllocation } from '@ttapi/bench'
import { reportNotes, summaryBullets } from './summary.ts'
import type { CaseComparison, Comparison, ReportContext } from './types.ts'

/** Columns of the Detailed Results table. */
export const DETAIL_HEADERS: readonly string[] = [
  'Case',
  'Latency p50',
  'Latency p95',
  'Throughput',
  'Memory (peak)',
  'GC',
  'Alloc/op',
  'Change',
  'Verdict',
]

/**
 * The Detailed Results table as plain cells (one row per case, all packages), for the markdown and
 * HTML reports: headers {@link DETAIL_HEADERS}; each metric cell carries its change in percent.
 * @example verdictTable(comparison).rows[0] // ['@ttapi/cache › lookups › get_hot', '1.20 ms (+3.1%)', …]
 */
export function verdictTable(c: Comparison): { headers: string[]; rows: string[][] } {
  return { headers: [...DETAIL_HEADERS], rows: c.cases.map((x) => detailRow(x, caseName(x))) }
}

function detailRow(x: CaseComparison, name: string): string[] {
  const side = x.current ?? x.baseline!
  return [
    name,
    cell(formatMs(side.p50Ms), x.p50),
    cell(formatMs(side.p95Ms), x.p95),
    cell(formatRate(side.itemsPerS, x.unit), x.throughput),
    cell(formatBytes(side.rssPeakBytes), x.rssPeak),
    cell(formatMs(side.gcMs), x.gcMs),
    cell(formatAllocation(side.allocBytesPerOp), x.alloc),
    gateChange(x),
    `${statusText(x)}${x.fingerprintMismatch && x.status !== 'not_judged' ? ' ⚠️ env' : ''}`,
  ]
}

/**
 * The engineering report in GitHub-flavoured markdown: header (date, label and branch, baseline
 * label and commit, environment, gate settings, history read), a loud warning when the fingerprints
 * differ, Summary bullets, a Detailed Results table per package, and Notes (environment mismatch,
 * excluded lines, inconclusive cases).
 * @param c - the comparison.
 * @param context - where the data came from.
 */
export function renderMarkdown(c: Comparison, context: ReportContext): string {
  const out: string[] = []
  out.push(`# Performance report — ${c.current.label} — ${c.current.startedAt.slice(0, 10)}`, '')
  out.push(`- **Current:** ${runLine(c.current)}`)
  out.push(`- **Baseline:** ${c.baseline ? runLine(c.baseline) : 'none (no comparable baseline run)'}`)
  if (c.baselineRuns.length > 1)
    out.push(
      `- **Older baselines:** ${c.baselineRuns
        .slice(1)
        .map((r) => `${r.id} (${r.startedAt.slice(0, 10)})`)
        .join(', ')} (each case's newest comparable record)`,
    )
  out.push(`- **Environment:** ${envLine(c.current)}`)
  if (c.baseline && c.fingerprintMismatch) out.push(`- **Baseline environment:** ${envLine(c.baseline)}`)
  const t = c.settings.thresholds
  const gates = (['p50', 'p95', 'alloc'] as const).filter((m) => t[m] !== null).map((m) => `${m} +${t[m]}%`)
  out.push(
    `- **Gate:** ${gates.join(', ')} (per-package overrides apply); processes as the unit (hierarchical bootstrap; Mann-Whitney U with one process a side), Benjamini-Hochberg at α=${c.settings.alpha}; ` +
      `bootstrap 95% CI, ${c.settings.resamples.toLocaleString('en-US')} resamples, seed ${c.settings.seed}`,
  )
  out.push(
    `- **History:** ${context.files} file(s), ${context.records.toLocaleString('en-US')} record(s), ` +
      `${context.badLines.length} bad line(s) excluded${context.badLines.length > 0 ? ' (see Notes)' : ''}`,
  )
  out.push('')
  const warning = envWarning(c)
  if (warning !== null) out.push('> [!WARNING]', `> **${warning}**`, '')
  out.push('## Summary', '')
  for (const b of summaryBullets(c)) out.push(`- ${b}`)
  out.push('', '## Detailed Results', '')
  const byPackage = new Map<string, CaseComparison[]>()
  for (const x of c.cases) byPackage.set(x.package, [...(byPackage.get(x.package) ?? []), x])
  for (const [pkg, cases] of byPackage) {
    out.push(`### ${pkg}`, '')
    out.push(
      `| ${DETAIL_HEADERS.join(' | ')} |`,
      `|${DETAIL_HEADERS.map((_, i) => (i === 0 || i >= DETAIL_HEADERS.length - 2 ? ' --- ' : ' ---: ')).join('|')}|`,
    )
    for (const x of cases) out.push(`| ${detailRow(x, `${x.suite} › ${x.case}`).map(escapeCell).join(' | ')} |`)
    out.push('')
  }
  const notes = reportNotes(c, context)
  if (notes.length > 0) {
    out.push('## Notes', '')
    for (const n of notes) out.push(n.startsWith('  ') ? `  - \`${n.trim()}\`` : `- ${n}`)
    out.push('')
  }
  out.push(`<sub>Generated ${context.generatedAt ?? new Date().toISOString()} by @ttapi/report.</sub>`)
  return `${out.join('\n')}\n`
}

function escapeCell(s: string): string {
  return s.replaceAll('|', '\\|')
}
