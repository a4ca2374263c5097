import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { clientScript } from './_html-client.ts'

/** One run in the HTML report's run list and x axis. */
export interface HtmlRun {
  /** run.id */
  id: string
  /** ISO-8601 start of the run. */
  startedAt: string
  label: string
  commit: string | null
  fingerprint: string
  /** Name of the machine the run measured on. */
  machine: string
  /** Number of cases the run recorded. */
  cases: number
}

/** A change point of one case's history, with the commits between which it happened. */
export interface HtmlChangePoint {
  /** Index into the case's points of the first run of the new regime. */
  index: number
  /** Relative change of the p50 mean (0.2 = 20% slower). */
  change: number
  pValue: number
  /** Commit of the last run before the change, and of the first run after it. */
  fromCommit: string | null
  toCommit: string | null
}

/** One case's history: one point per run that measured it, oldest first. */
export interface HtmlCaseSeries {
  package: string
  suite: string
  case: string
  unit: string
  /** Harness profile of the runs in this series (`quick` and `full` measure different data sets, so they never share a series). @default 'quick' */
  profile?: string
  /** Name of the machine every point of the series was measured on (one series per machine). */
  machine?: string
  /** Per point: index into `runs`. */
  run: number[]
  p5: number[]
  p50: number[]
  p95: number[]
  /** items per second per point. */
  throughput: number[]
  changePoints: HtmlChangePoint[]
}

/** Top functions by self time of one case, baseline vs current (from `--cpu-prof` profiles). */
export interface HtmlProfileComparison {
  /** `package/suite/case` */
  case: string
  rows: Array<{ fn: string; baselinePct: number | null; currentPct: number | null }>
}

/** Everything the HTML report shows; built by the CLI from the history. */
export interface HtmlReportInput {
  title: string
  generatedAt: string
  runs: HtmlRun[]
  /** Index into `runs` of the baseline and current runs, or null. */
  baseline: number | null
  current: number | null
  /** Environment of the current run, as label → value. */
  env: Record<string, string | number | boolean | null>
  /** The verdict table of the markdown report. */
  verdicts: { headers: string[]; rows: string[][] }
  series: HtmlCaseSeries[]
  profiles: HtmlProfileComparison[]
  /** Warnings and notes (excluded lines, environment mismatches). */
  notes: string[]
}

const require = createRequire(import.meta.url)

function asset(path: string): string {
  return readFileSync(require.resolve(path), 'utf8')
}

function esc(s: string | number | null | undefined): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Inline text must not close its <script>/<style> element early. */
function inlineSafe(s: string): string {
  return s.replace(/<\/(script|style)/gi, '<\\/$1')
}

/** Four significant digits keep the embedded history small (a 300 x 100 history stays well under 5 MB). */
function compact(xs: number[]): Array<number | null> {
  return xs.map((v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null))
}

function table(headers: string[], rows: string[][], cls = ''): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

function pct(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(1)}%`
}

/**
 * Renders one self-contained HTML file (no CDN; uPlot and the data are inlined) that opens from disk.
 * @param input - the runs, per-case histories, change points, verdicts and profiles to show.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const data = {
    runs: input.runs.map((r) => ({
      date: r.startedAt.slice(0, 10),
      time: r.startedAt.slice(11, 16),
      label: r.label,
      machine: r.machine,
    })),
    series: input.series.map((s, i) => ({
      i,
      unit: s.unit,
      run: s.run,
      p5: compact(s.p5),
      p50: compact(s.p50),
      p95: compact(s.p95),
      throughput: compact(s.throughput),
      baseline: input.baseline === null ? null : s.run.indexOf(input.baseline),
      current: input.current === null ? null : s.run.indexOf(input.current),
      changePoints: s.changePoints.map((c) => ({ index: c.index, change: Number(c.change.toPrecision(3)) })),
    })),
  }
  const byPackage = new Map<string, number[]>()
  input.series.forEach((s, i) => {
    const list = byPackage.get(s.package) ?? []
    list.push(i)
    byPackage.set(s.package, list)
  })
  const sections = [...byPackage].map(([pkg, idx]) => {
    const cases = idx.map((i) => {
      const s = input.series[i]!
      const cps = s.changePoints.length
        ? `<ul class="cps">${s.changePoints
            .map(
              (c) =>
                `<li>change point at run ${c.index + 1}: ${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)}% (p=${c.pValue.toExponential(1)}), between ${esc(c.fromCommit?.slice(0, 10) ?? '?')} and ${esc(c.toCommit?.slice(0, 10) ?? '?')}</li>`,
            )
            .join('')}</ul>`
        : ''
      const profile = s.profile && s.profile !== 'quick' ? s.profile : null
      return `<section class="case" data-series="${i}" id="case-${esc(`${s.suite}-${s.case}${profile ? `-${profile}` : ''}`)}">
<h3>${esc(s.suite)} / ${esc(s.case)}${profile ? ` <small>(${esc(profile)} profile)</small>` : ''} <small>${s.run.length} run${s.run.length === 1 ? '' : 's'}</small></h3>
<div class="chart chart-latency"></div><div class="chart chart-throughput"></div>${cps}
</section>`
    })
    return `<h2>${esc(pkg)}</h2>\n${cases.join('\n')}`
  })
  const profiles = input.profiles.map(
    (p) =>
      `<h3>${esc(p.case)}</h3>${table(
        ['Function', 'Baseline self %', 'Current self %', 'Change (pp)'],
        p.rows.map((r) => [
          r.fn,
          pct(r.baselinePct),
          pct(r.currentPct),
          r.baselinePct !== null && r.currentPct !== null ? (r.currentPct - r.baselinePct).toFixed(1) : '—',
        ]),
        'profile',
      )}`,
  )
  const runRows = input.runs
    .map((r, i) => ({ r, i }))
    .reverse()
    .map(({ r, i }) => [
      r.startedAt.replace('T', ' ').slice(0, 19),
      r.label,
      r.commit?.slice(0, 10) ?? '—',
      r.machine,
      String(r.cases),
      i === input.current ? 'current' : i === input.baseline ? 'baseline' : '',
    ])
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${inlineSafe(asset('uplot/dist/uPlot.min.css'))}</style>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#111827}
table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left}th{background:#f3f4f6}
.case{border-top:1px solid #e5e7eb;padding:8px 0}.case h3 small{color:#6b7280;font-weight:normal}
.notes li{color:#92400e}.cps li{color:#b91c1c}.chart{min-height:40px}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p>Generated ${esc(input.generatedAt)} · ${input.runs.length} runs · ${input.series.length} cases</p>
${input.notes.length ? `<ul class="notes">${input.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<h2>Verdicts</h2>
${table(input.verdicts.headers, input.verdicts.rows, 'verdicts')}
${sections.join('\n')}
${profiles.length ? `<h2>Where the time goes (self time, baseline vs current)</h2>\n${profiles.join('\n')}` : ''}
<h2>Environment</h2>
${table(
  ['Key', 'Value'],
  Object.entries(input.env).map(([k, v]) => [k, String(v ?? '—')]),
  'env',
)}
<h2>Runs</h2>
${table(['Started (UTC)', 'Label', 'Commit', 'Machine', 'Cases', ''], runRows, 'runs')}
<script id="ttapi-data" type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${inlineSafe(asset('uplot/dist/uPlot.iife.min.js'))}</script>
<script>${inlineSafe(clientScript)}</script>
</body></html>
`
}
