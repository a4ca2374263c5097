import {
  envLine,
  envWarning,
  formatBytes,
  formatChange,
  formatMs,
  formatRate,
  gateChange,
  gateInterval,
  runLine,
} from './_format.ts'
import { DEFAULT_COLUMNS, fitTable, truncate, wrap } from './_text-width.ts'
import type { FitColumn } from './_text-width.ts'
import { headline, unconfirmedSlowdowns } from './headline.ts'
import { formatAllocation } from '@ttapi/bench'
import { reportNotes, summaryBullets } from './summary.ts'
import type { CaseComparison, Comparison, ReportContext, TerminalOptions } from './types.ts'

const RED = '\x1b[31m'
const GREEN = '\x1b[32m'
const YELLOW = '\x1b[33m'
const DIM = '\x1b[2m'
const BOLD = '\x1b[1m'
const RESET = '\x1b[0m'

/** A listed group of rows, in impact order. */
interface Section {
  title: string
  verdict: string
  color: string
  rows: CaseComparison[]
}

/**
 * The report for a terminal, fitted to its width: the headline, the two runs, then the cases that
 * need a look in impact order (confirmed regressions, unconfirmed slowdowns, improvements, unstable,
 * inconclusive, not judged, added, removed) under their package headings, verdict and change first;
 * unchanged cases and cases outside the run's selection are counted, not listed. Columns that do not
 * fit are dropped (`wide` keeps every column and lists every row). No line is wider than `columns`.
 */
export function renderTerminal(c: Comparison, context: ReportContext, options: TerminalOptions = {}): string {
  const wide = options.wide === true
  const columns = wide ? Infinity : Math.max(40, options.columns ?? DEFAULT_COLUMNS)
  const color = options.color === true
  const paint = (code: string, s: string): string => (color && code !== '' ? `${code}${s}${RESET}` : s)
  const out: string[] = []
  const text = (s: string, indent = 0, code = ''): void => {
    for (const l of wrap(s, columns, indent)) out.push(paint(code, l))
  }
  const p: Printer = { out, columns, paint, text }
  printRuns(p, c, context, wide)
  printCases(p, c, wide ? allRows(c) : impactSections(c))
  if (!wide) {
    const folded = [
      c.counts.unchanged > 0 ? `${c.counts.unchanged} unchanged` : null,
      c.counts.not_run > 0 ? `${c.counts.not_run} of the baseline not run (outside this run's selection)` : null,
    ].filter((x) => x !== null)
    if (folded.length > 0) text(`Not listed: ${folded.join(', ')}; --wide lists every case.`, 2)
  }
  out.push('')
  // The per-case bullets repeat the table's rows; --wide keeps them.
  for (const b of summaryBullets(c)) if (wide || !/^(❌|✅|⚠️) `/.test(b)) text(`- ${b}`, 2)
  const notes = reportNotes(c, context)
  if (notes.length > 0) {
    out.push('', 'notes:')
    for (const n of notes) text(n.startsWith('  ') ? `  ${n}` : `  - ${n}`, 4)
  }
  return `${out.join('\n')}\n`
}

/** Where the report's lines go, and how they are fitted and coloured. */
interface Printer {
  /** The lines so far. */
  out: string[]
  /** The width no line exceeds (Infinity with `wide`). */
  columns: number
  /** `s` in the ANSI colour `code` when colour is on. */
  paint: (code: string, s: string) => string
  /** Appends `s` wrapped to the width, continuation lines indented by `indent`, in colour `code`. */
  text: (s: string, indent?: number, code?: string) => void
}

/** The environment warning, the headline and the two runs (with `wide`, the environment and the history too). */
function printRuns({ out, text }: Printer, c: Comparison, context: ReportContext, wide: boolean): void {
  const warning = envWarning(c)
  if (warning !== null) {
    text(`!!! ${warning}`, 4, BOLD + YELLOW)
    out.push('')
  }
  text(headline(c), 2, BOLD)
  out.push('')
  text(`current:  ${runLine(c.current)}`, 10)
  text(
    `baseline: ${c.baseline ? runLine(c.baseline) : c.noComparable !== null ? 'none comparable on this machine (below); showing the current run only' : 'none — no baseline run exists; showing the current run only'}`,
    10,
  )
  if (wide) {
    text(`env:      ${envLine(c.current)}`, 10)
    text(
      `history:  ${context.historyDir} — ${context.files} file(s), ${context.records} record(s), ${context.badLines.length} bad line(s) excluded`,
      10,
    )
  }
  out.push('')
}

/** The table of the listed cases: one heading per section, one per package, then a row per case. */
function printCases({ out, columns, paint, text }: Printer, c: Comparison, sections: Section[]): void {
  const listed = sections.flatMap((s) => s.rows.map((x) => ({ s, x })))
  if (listed.length === 0) return
  const unique = shortNames(listed.map((l) => l.x))
  const slowMetric = new Map(unconfirmedSlowdowns(c).map((s) => [s.case, s.metric]))
  const cols: FitColumn[] = [
    { header: 'verdict' },
    { header: 'change (95% CI)' },
    { header: 'case', shrink: true },
    { header: 'p50', right: true, drop: 1 },
    { header: 'p95', right: true, drop: 2 },
    { header: 'q', right: true, drop: 3 },
    { header: 'throughput', right: true, drop: 4 },
    { header: 'rss peak', right: true, drop: 5 },
    { header: 'gc', right: true, drop: 6 },
    { header: 'alloc/op', right: true, drop: 7 },
  ]
  const rows = listed.map(({ s, x }) => {
    const side = x.current ?? x.baseline!
    return [
      s.verdict,
      changeText(x, slowMetric.get(x)),
      unique.get(x)!,
      withChange(formatMs(side.p50Ms), x.p50.changePct),
      withChange(formatMs(side.p95Ms), x.p95.changePct),
      x.qValue === null ? '' : formatQ(x.qValue),
      withChange(formatRate(side.itemsPerS, x.unit), x.throughput.changePct),
      withChange(formatBytes(side.rssPeakBytes), x.rssPeak.changePct),
      formatMs(side.gcMs),
      withChange(formatAllocation(side.allocBytesPerOp), x.alloc.changePct),
    ]
  })
  const { lines, hidden } = fitTable(cols, rows, columns, '    ')
  out.push(paint(DIM, lines[0]!))
  let k = 0
  for (const s of sections) {
    if (s.rows.length === 0) continue
    out.push(paint(s.color === '' ? BOLD : BOLD + s.color, truncate(`${s.title} (${s.rows.length})`, columns)))
    let pkg = ''
    for (const x of s.rows) {
      if (x.package !== pkg) {
        pkg = x.package
        out.push(truncate(`  ${pkg}`, columns))
      }
      out.push(paint(s.color, lines[++k]!))
    }
  }
  if (hidden.length > 0) text(`(${hidden.join(', ')} left out to fit ${columns} columns; --wide shows them)`, 2, DIM)
}

/** Rows that need a look, grouped and sorted by impact; unchanged and not-run rows are left to the counts. */
function impactSections(c: Comparison): Section[] {
  const slow = unconfirmedSlowdowns(c)
  const slowSet = new Set(slow.map((s) => s.case))
  const taken = new Set<CaseComparison>()
  const pick = (pred: (x: CaseComparison) => boolean, order: (a: CaseComparison, b: CaseComparison) => number) => {
    const rows = c.cases.filter((x) => !taken.has(x) && pred(x)).sort(order)
    for (const x of rows) taken.add(x)
    return byPackage(rows)
  }
  const slower = (a: CaseComparison, b: CaseComparison): number => gateRatio(b) - gateRatio(a)
  const faster = (a: CaseComparison, b: CaseComparison): number => gateRatio(a) - gateRatio(b)
  // The larger change first: the gated ratio when there is one (what the row shows), else the p50 change.
  const size = (x: CaseComparison): number =>
    x.intervals !== null && x.status !== 'not_judged'
      ? Math.abs(Math.log(gateRatio(x)))
      : Math.abs(Math.log1p((x.p50.changePct ?? 0) / 100))
  const bigger = (a: CaseComparison, b: CaseComparison): number => size(b) - size(a)
  const sections: Section[] = [
    { title: 'Regressed', verdict: 'REGRESSED', color: RED, rows: pick((x) => x.status === 'regressed', slower) },
    {
      title: 'Slower, not confirmed by the gate',
      verdict: 'slower?',
      color: YELLOW,
      rows: pick(
        (x) => slowSet.has(x),
        (a, b) => slow.findIndex((s) => s.case === a) - slow.findIndex((s) => s.case === b),
      ),
    },
    { title: 'Improved', verdict: 'improved', color: GREEN, rows: pick((x) => x.status === 'improved', faster) },
    {
      title: 'Unstable (processes disagree)',
      verdict: 'unstable',
      color: YELLOW,
      rows: pick(
        (x) => x.unstable !== null && x.status !== 'not_run',
        (a, b) => b.unstable!.spread - a.unstable!.spread,
      ),
    },
    {
      title: 'Inconclusive',
      verdict: 'inconclusive',
      color: '',
      rows: pick((x) => x.status === 'inconclusive', bigger),
    },
  ]
  for (const why of ['other_machine', 'other_config', 'busy'] as const)
    sections.push({
      title: `Not judged: ${why.replace('_', ' ')}`,
      verdict: 'not judged',
      color: '',
      rows: pick((x) => x.status === 'not_judged' && x.notJudged === why, bigger),
    })
  sections.push(
    { title: 'Added', verdict: 'added', color: '', rows: pick((x) => x.status === 'added', byName) },
    { title: 'Removed', verdict: 'removed', color: '', rows: pick((x) => x.status === 'removed', byName) },
    { title: 'No baseline', verdict: 'no baseline', color: '', rows: pick((x) => x.status === 'no_baseline', byName) },
    { title: 'Not judged', verdict: 'not judged', color: '', rows: pick((x) => x.status === 'not_judged', byName) },
  )
  return sections
}

/** `--wide`: the impact sections, then every other row. */
function allRows(c: Comparison): Section[] {
  const sections = impactSections(c)
  const listed = new Set(sections.flatMap((s) => s.rows))
  const rest = (status: CaseComparison['status']): CaseComparison[] =>
    byPackage(c.cases.filter((x) => !listed.has(x) && x.status === status).sort(byName))
  sections.push(
    { title: 'Unchanged', verdict: 'unchanged', color: '', rows: rest('unchanged') },
    { title: 'Not run (outside the selection)', verdict: 'not run', color: '', rows: rest('not_run') },
  )
  return sections
}

/** Keeps the impact order but brings a package's rows together (ordered by the package's first row). */
function byPackage(rows: CaseComparison[]): CaseComparison[] {
  const first = new Map<string, number>()
  rows.forEach((x, i) => first.has(x.package) || first.set(x.package, i))
  return rows
    .map((x, i) => ({ x, i }))
    .sort((a, b) => first.get(a.x.package)! - first.get(b.x.package)! || a.i - b.i)
    .map((r) => r.x)
}

function byName(a: CaseComparison, b: CaseComparison): number {
  const ka = `${a.package}/${a.suite}/${a.case}`
  const kb = `${b.package}/${b.suite}/${b.case}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** Under its package heading a case is its own name, or `suite/case` when another suite of the package has the same case name. */
function shortNames(rows: CaseComparison[]): Map<CaseComparison, string> {
  const count = new Map<string, number>()
  for (const x of rows) count.set(`${x.package}\u0000${x.case}`, (count.get(`${x.package}\u0000${x.case}`) ?? 0) + 1)
  return new Map(rows.map((x) => [x, count.get(`${x.package}\u0000${x.case}`)! > 1 ? `${x.suite}/${x.case}` : x.case]))
}

/** The gated change with its interval (or the slower metric's, for an unconfirmed slowdown), or the p50 ratio when the case was not judged. */
function changeText(x: CaseComparison, slower?: 'p50' | 'p95'): string {
  if (slower !== undefined && x.intervals !== null) {
    const i = x.intervals[slower]
    return `${slower} ${formatChange((i.ratio - 1) * 100)} [${formatChange((i.low - 1) * 100)}, ${formatChange((i.high - 1) * 100)}]`
  }
  const gate = gateChange(x)
  if (gate !== '' && x.status !== 'not_judged') return gate
  const p50 = formatChange(x.p50.changePct)
  return p50 === '' ? '' : `p50 ${p50} (ratio only)`
}

function gateRatio(x: CaseComparison): number {
  return gateInterval(x)?.interval.ratio ?? 1
}

function withChange(value: string, pct: number | null): string {
  const change = formatChange(pct)
  return change === '' ? value : `${value} ${change}`
}

function formatQ(q: number): string {
  return q < 1e-3 ? q.toExponential(0) : q.toFixed(3)
}
