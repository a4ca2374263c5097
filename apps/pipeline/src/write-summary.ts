import { join } from 'node:path'
import { writeAtomic } from './_write-atomic.ts'
import { formatDuration } from './stage-table.ts'
import type { RunSummary, StageName, SymbolSummary } from './types.ts'
import { makeDir } from '@ttapi/bench/make-dir'

const STAGE_LABEL: Record<StageName, string> = {
  collection: 'Symbol collection',
  import: 'EOD import',
  analysis: 'Analysis',
}
/** Failures listed in summary.md (all of them are in summary.json). */
const MD_FAILURES = 200
/** Statistics shown per symbol in summary.md (all of them are in summary.json). */
const MD_STATS: readonly [string, string, (v: number) => string][] = [
  ['rows', 'Rows', (v) => String(v)],
  ['annualisedReturn', 'Ann. return', pct],
  ['annualisedVolatility', 'Ann. vol', pct],
  ['sharpe', 'Sharpe', (v) => v.toFixed(2)],
  ['maxDrawdown', 'Max DD', pct],
  ['beta', 'Beta', (v) => v.toFixed(2)],
]

function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`
}

function cellText(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/**
 * Renders `summary.md`: inputs, the stages of this run, every failure (up to 200, the rest counted) and the main
 * statistics of each symbol.
 * @param summary - The run summary.
 * @param table - The stage table (cold vs cached) to include.
 * @param lines - The symbols' rendered lines ({@link SummaryLines}); by default each row is rendered here.
 */
export function renderSummaryMarkdown(summary: RunSummary, table: string, lines?: readonly SymbolLine[]): string {
  const { inputs } = summary
  const out: string[] = [
    `# ttapi run — ${summary.mode}`,
    '',
    `Started ${summary.startedAt}, finished ${summary.finishedAt} (${formatDuration(summary.totalMs)}); exit code ${summary.exitCode}; peak memory ${(summary.peakRssBytes / 1e9).toFixed(2)} GB resident.`,
    '',
    `- Universe: ${inputs.universe} (${inputs.symbols} symbols)`,
    `- Data: ${inputs.data}${inputs.dataset === null ? '' : ` (synthetic market, ${inputs.dataset}, ${inputs.format})`}`,
    `- Quote source: ${inputs.source}`,
    `- Cache: ${inputs.cacheDir}`,
    `- Largest failure share allowed: ${summary.maxFailureShare}`,
    '',
    '## Stages',
    '',
    '| Stage | Source | Status | Time | Items | Failed | Note |',
    '|---|---|---|---:|---:|---:|---|',
    ...summary.stages.map(
      (s) =>
        `| ${STAGE_LABEL[s.stage]} | ${s.source} | ${s.status} | ${formatDuration(s.ms)} | ${s.items} | ${s.failed} | ${cellText(
          s.fallback === null ? s.note : `${s.note}; fell back to cold: ${s.fallback}`,
        )} |`,
    ),
    '',
    '## Cold vs cached',
    '',
    table.trimEnd(),
    '',
    `## Failures (${summary.failures.length})`,
    '',
  ]
  if (summary.failures.length === 0) out.push('None.')
  else {
    out.push('| Stage | Subject | Code | Reason |', '|---|---|---|---|')
    for (const f of summary.failures.slice(0, MD_FAILURES)) {
      out.push(`| ${STAGE_LABEL[f.stage]} | ${cellText(f.subject)} | ${f.code} | ${cellText(f.reason)} |`)
    }
    if (summary.failures.length > MD_FAILURES) {
      out.push('', `… and ${summary.failures.length - MD_FAILURES} more (see summary.json).`)
    }
  }
  out.push('', `## Symbols (${summary.symbols.length})`, '')
  out.push(
    `| Symbol | Last | Change | ${MD_STATS.map(([, label]) => label).join(' | ')} |`,
    `|---|${'---:|'.repeat(MD_STATS.length + 2)}`,
  )
  if (lines === undefined) for (const s of summary.symbols) out.push(markdownRow(s))
  else for (const line of lines) out.push(line.markdown)
  out.push('')
  return out.join('\n')
}

function num(v: number | null | undefined, f: (v: number) => string): string {
  return v === null || v === undefined ? '—' : f(v)
}

/** One symbol's row of the summary.md table. */
function markdownRow(s: SymbolSummary): string {
  const stats = MD_STATS.map(([key, , f]) => num(s.stats?.[key], f))
  return `| ${s.symbol} | ${num(s.last, (v) => v.toFixed(2))} | ${num(s.changePct, (v) => `${v.toFixed(2)}%`)} | ${stats.join(' | ')} |`
}

/**
 * One symbol's rendered lines, its summary.json line and summary.md row, with the values they were rendered from
 * (copied: a caller changing the summary object afterwards changes neither the lines nor what they match).
 */
export class SymbolLine {
  /** The summary.json line: the summary as JSON, indented two spaces. */
  readonly json: string
  /** The summary.md table row. */
  readonly markdown: string
  readonly #symbol: string
  readonly #last: number | null
  readonly #changePct: number | null
  /** The statistics' names and values in order, or null without statistics. */
  readonly #names: readonly string[] | null
  readonly #values: readonly (number | null)[] | null

  /** @param summary - The symbol's summary. */
  constructor(summary: SymbolSummary) {
    this.json = `  ${JSON.stringify(summary)}`
    this.markdown = markdownRow(summary)
    this.#symbol = summary.symbol
    this.#last = summary.last
    this.#changePct = summary.changePct
    this.#names = summary.stats === null ? null : Object.keys(summary.stats)
    this.#values = summary.stats === null ? null : Object.values(summary.stats)
  }

  /**
   * Whether `s` renders exactly as this line: same symbol, quote values and statistics (names in the same order,
   * values the same by `Object.is`, so NaN matches NaN and 0 does not match -0).
   * @param s - A summary.
   */
  renders(s: SymbolSummary): boolean {
    if (s.symbol !== this.#symbol || !Object.is(s.last, this.#last) || !Object.is(s.changePct, this.#changePct))
      return false
    if (s.stats === null || this.#names === null) return s.stats === null && this.#names === null
    const names = Object.keys(s.stats)
    const values = Object.values(s.stats)
    if (names.length !== this.#names.length) return false
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== this.#names[i] || !Object.is(values[i], this.#values![i])) return false
    }
    return true
  }
}

/**
 * Per-symbol summary lines a PipelineSession keeps across refreshes. A cached run reuses the rendered line of each
 * symbol whose values are the same as when it was rendered — the analysis is recomputed, only the text of an
 * unchanged result is not formatted again: 503 symbols x 34 numbers are ~2.3 ms of V8 number formatting, an eighth
 * of a cached run. A cold run renders every line and keeps them for the next run.
 */
export class SummaryLines {
  #kept = new Map<string, SymbolLine>()
  #body: { lines: readonly SymbolLine[]; bytes: Buffer } | null = null
  /** Lines reused and rendered by the last {@link SummaryLines.lines} call. */
  reused = 0
  rendered = 0

  /**
   * The lines of a run's symbols, in order; keeps them (and only them) for the next call.
   * @param symbols - The run's per-symbol summaries.
   * @param reuse - Reuse kept lines whose values match (a cached run); false renders every line (a cold run).
   */
  lines(symbols: readonly SymbolSummary[], reuse: boolean): SymbolLine[] {
    const kept = new Map<string, SymbolLine>()
    const out: SymbolLine[] = []
    let reused = 0
    for (const s of symbols) {
      const old = reuse ? this.#kept.get(s.symbol) : undefined
      const line = old !== undefined && old.renders(s) ? old : new SymbolLine(s)
      if (line === old) reused++
      kept.set(s.symbol, line)
      out.push(line)
    }
    this.#kept = kept
    this.reused = reused
    this.rendered = out.length - reused
    return out
  }

  /**
   * The symbol lines of summary.json, joined and UTF-8 encoded; the bytes of the last call when `lines` are the same
   * lines in the same order (joining and encoding 0.5 MB costs ~0.4 ms).
   * @param lines - Lines from {@link SummaryLines.lines}.
   */
  jsonBody(lines: readonly SymbolLine[]): Buffer {
    const last = this.#body
    if (last !== null && last.lines.length === lines.length && last.lines.every((l, i) => l === lines[i]))
      return last.bytes
    const bytes = Buffer.from(lines.map((l) => l.json).join(',\n'))
    this.#body = { lines: [...lines], bytes }
    return bytes
  }
}

/**
 * `summary.json`: indented, except that each per-symbol line is one line (10,000 symbols x 32 statistics would
 * otherwise be 11 MB of one number a line).
 * @param summary - The run summary.
 * @param lines - The symbols' rendered lines ({@link SummaryLines}); by default each line is rendered here.
 */
export function summaryJson(summary: RunSummary, lines?: readonly SymbolLine[]): string {
  if (summary.symbols.length === 0) return `${JSON.stringify({ ...summary, symbols: [] }, null, 1)}\n`
  const body = lines === undefined ? summary.symbols.map((s) => `  ${JSON.stringify(s)}`) : lines.map((l) => l.json)
  return `${jsonHead(summary)}${body.join(',\n')}${JSON_TAIL}`
}

/** summary.json up to its first symbol line (the run has at least one symbol). */
function jsonHead(summary: RunSummary): string {
  const head = JSON.stringify({ ...summary, symbols: [] }, null, 1)
  return `${head.slice(0, -'[]\n}'.length)}[\n`
}

const JSON_TAIL = '\n ]\n}\n'

/**
 * Writes `summary.json` and `summary.md` to `outDir` (each atomically: a reader never sees half a file). The writes
 * are synchronous: each asynchronous call is a thread-pool round trip, and the six of them cost 0.7 ms against
 * 0.4 ms for the quick market's 0.5 MB (the run has nothing else to do meanwhile).
 * @param outDir - The out directory (created when missing).
 * @param summary - The run summary.
 * @param table - The stage table for the Markdown.
 * @param kept - Lines kept across runs, and whether this run may reuse them (a cached run) or renders them all.
 * @returns the two paths
 */
export function writeSummary(
  outDir: string,
  summary: RunSummary,
  table: string,
  kept?: { lines: SummaryLines; reuse: boolean },
): { json: string; markdown: string } {
  makeDir(outDir)
  const json = join(outDir, 'summary.json')
  const markdown = join(outDir, 'summary.md')
  const lines = kept?.lines.lines(summary.symbols, kept.reuse)
  writeAtomic(
    json,
    lines === undefined || lines.length === 0
      ? summaryJson(summary)
      : [Buffer.from(jsonHead(summary)), kept!.lines.jsonBody(lines), Buffer.from(JSON_TAIL)],
  )
  writeAtomic(markdown, renderSummaryMarkdown(summary, table, lines))
  return { json, markdown }
}
