import {
  caseName,
  gateChange,
  envLine,
  envWarning,
  formatChange,
  formatMs,
  formatRate,
  formatBytes,
  runLine,
  statusText,
} from './_format.ts'
import { formatAllocation } from '@ttapi/bench'
import { reportNotes, summaryBullets } from './summary.ts'
import type { Comparison, ReportContext, TerminalOptions } from './types.ts'

const RED = '\x1b[31m'
const GREEN = '\x1b[32m'
const YELLOW = '\x1b[33m'
const BOLD = '\x1b[1m'
const RESET = '\x1b[0m'

/**
 * A compact aligned table for a terminal: one row per case with p50, p95, throughput, peak RSS and
 * GC (each with its change), the gate change with its interval and the verdict; then the summary
 * and notes. The environment warning comes first when the fingerprints differ.
 */
export function renderTerminal(c: Comparison, context: ReportContext, options: TerminalOptions = {}): string {
  const color = options.color === true
  const paint = (code: string, s: string): string => (color ? `${code}${s}${RESET}` : s)
  const out: string[] = []
  const warning = envWarning(c)
  if (warning !== null) out.push(paint(BOLD + YELLOW, `!!! ${warning}`), '')
  out.push(`current:  ${runLine(c.current)}`)
  out.push(
    `baseline: ${c.baseline ? runLine(c.baseline) : 'none — no baseline run exists; showing the current run only'}`,
  )
  out.push(`env:      ${envLine(c.current)}`)
  out.push(
    `history:  ${context.historyDir} — ${context.files} file(s), ${context.records} record(s), ${context.badLines.length} bad line(s) excluded`,
  )
  out.push('')
  const headers = [
    'case',
    'p50',
    'Δ',
    'p95',
    'Δ',
    'throughput',
    'Δ',
    'rss peak',
    'Δ',
    'gc',
    'alloc/op',
    'Δ',
    'gate (95% CI)',
    'verdict',
  ]
  const rows = c.cases.map((x) => {
    const side = x.current ?? x.baseline!
    const gate = gateChange(x)
    return [
      caseName(x),
      formatMs(side.p50Ms),
      formatChange(x.p50.changePct),
      formatMs(side.p95Ms),
      formatChange(x.p95.changePct),
      formatRate(side.itemsPerS, x.unit),
      formatChange(x.throughput.changePct),
      formatBytes(side.rssPeakBytes),
      formatChange(x.rssPeak.changePct),
      formatMs(side.gcMs),
      formatAllocation(side.allocBytesPerOp),
      formatChange(x.alloc.changePct),
      gate,
      `${statusText(x)}${x.fingerprintMismatch && x.status !== 'not_judged' ? ' (env differs)' : ''}`,
    ]
  })
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))))
  const line = (cells: string[]): string =>
    cells
      .map((s, i) =>
        i === 0 || i === cells.length - 1
          ? s.padEnd(widths[i]! + s.length - width(s))
          : s.padStart(widths[i]! + s.length - width(s)),
      )
      .join('  ')
      .trimEnd()
  out.push(line(headers), widths.map((w) => '─'.repeat(w)).join('  '))
  c.cases.forEach((x, k) => {
    const text = line(rows[k]!)
    out.push(x.status === 'regressed' ? paint(RED, text) : x.status === 'improved' ? paint(GREEN, text) : text)
  })
  out.push('')
  for (const b of summaryBullets(c)) out.push(`• ${b}`)
  const notes = reportNotes(c, context)
  if (notes.length > 0) {
    out.push('', 'notes:')
    for (const n of notes) out.push(n.startsWith('  ') ? `  ${n}` : `  • ${n}`)
  }
  return `${out.join('\n')}\n`
}

/** Display width: emoji count 2 columns, combining marks 0. */
function width(s: string): number {
  let w = 0
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (cp === 0xfe0f || (cp >= 0x300 && cp < 0x370)) continue
    w += cp >= 0x1f000 || cp === 0x274c || cp === 0x2705 || cp === 0x2754 || cp === 0x2796 ? 2 : 1
  }
  return w
}
