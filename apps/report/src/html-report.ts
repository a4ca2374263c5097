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
  /** Per point: index into `runs`; -1 for a bucket of older runs (see `buckets`). */
  run: number[]
  /** The first `buckets.length` points are buckets of older runs (`windowHtmlInput`). @default none */
  buckets?: HtmlBucket[]
  p5: number[]
  p50: number[]
  p95: number[]
  /** items per second per point. */
  throughput: number[]
  changePoints: HtmlChangePoint[]
}

/** Older runs of a series folded into one point (`windowHtmlInput`): median p50, lowest p5, highest p95. */
export interface HtmlBucket {
  /** Date (UTC, `YYYY-MM-DD`) of the bucket's first and last run. */
  from: string
  to: string
  /** Runs folded into the point. */
  runs: number
  /** Width of the bucket in days (7: a week). */
  days: number
}

/** Top functions by self time of one case, baseline vs current (from `--cpu-prof` profiles). */
export interface HtmlProfileComparison {
  /** `package/suite/case` */
  case: string
  /** Per function (`name file:line`), its share of self time on each side. */
  rows: Array<{ fn: string; baselinePct: number | null; currentPct: number | null }>
  /** Icicle graphs as inline SVG: each side, and the current one coloured by the change. */
  flame?: { baseline: string; current: string; diff: string }
}

/** One case's verdict, as the top of the page lists it. */
export interface HtmlCaseVerdict {
  /** `package/suite/case` */
  key: string
  /** Package name. */
  package: string
  /** `suite › case` */
  name: string
  /** Status of the comparison row, or `slower` for a slowdown the gate did not confirm. */
  status: string
  /** The change to show first, e.g. `p95 +23.4% [+18.0%, +29.1%]`. */
  change: string
  /** Why the verdict (one sentence). */
  reason: string
}

/** Everything the HTML report shows; built by the CLI from the history. */
export interface HtmlReportInput {
  /** Page title. */
  title: string
  /** When the page was made, ISO-8601. */
  generatedAt: string
  /** Every run of the history, oldest first; once windowed, only the runs the charts draw in full. */
  runs: HtmlRun[]
  /** Runs in the history, when `runs` holds fewer (windowed). @default runs.length */
  historyRuns?: number
  /** Index into `runs` of the baseline and current runs, or null. */
  baseline: number | null
  /** Index into `runs` of the current run, or null. */
  current: number | null
  /** Environment of the current run, as label → value. */
  env: Record<string, string | number | boolean | null>
  /** The verdict table of the markdown report. */
  verdicts: { headers: string[]; rows: string[][] }
  /** One series per case, profile and machine. */
  series: HtmlCaseSeries[]
  /** Profiles of the cases that have one on both sides. */
  profiles: HtmlProfileComparison[]
  /** Warnings and notes (excluded lines, environment mismatches). */
  notes: string[]
  /** The Performance Highlights section, already rendered (`renderHighlightsHtml`), or absent. */
  highlights?: string
  /** The one-line headline of the comparison. @default none shown */
  headline?: string
  /** Per case verdicts, impact-sorted (what the top of the page lists and the case headings show). @default [] */
  cases?: HtmlCaseVerdict[]
  /** Gate threshold in percent: the band drawn around the baseline. @default 10 */
  thresholdPct?: number
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

/** Date of a series point: its run's, or its bucket's first (`from`) or last (`to`) run's. */
function pointDate(input: HtmlReportInput, s: HtmlCaseSeries, k: number, side: 'from' | 'to'): string {
  const b = s.buckets?.[k]
  if (b !== undefined) return b[side]
  return input.runs[s.run[k] ?? -1]?.startedAt.slice(0, 10) ?? '?'
}

/** `300 runs`, or `10000 runs: the last 200 in full, 9800 older ones in 28-day buckets`. */
function pointsText(s: HtmlCaseSeries): string {
  const full = s.run.length - (s.buckets?.length ?? 0)
  const older = (s.buckets ?? []).reduce((n, b) => n + b.runs, 0)
  const total = full + older
  const head = `${total} run${total === 1 ? '' : 's'}`
  return older === 0 ? head : `${head}: the last ${full} in full, ${older} older in ${s.buckets![0]!.days}-day buckets`
}

function table(headers: string[], rows: string[][], cls = ''): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n')
  return `<table class="${cls}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

function pct(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(1)}%`
}

/** Emoji render as empty boxes without an emoji font (Debian's Chromium): words only on the page. */
function noEmoji(s: string): string {
  return s
    .replace(/\uFE0F/g, '')
    .replace(/[\u{1F000}-\u{1FFFF}\u2705\u274C\u2754\u2796\u26A0\u00B7]\s?/gu, '')
    .replace(/^\s+/, '')
}

/** Bytes of inline flame graphs a page may hold (the page stays under 5 MB with 300 runs x 100 cases). */
const FLAME_BUDGET = 2_500_000

/** Statuses that need a look, in impact order; the rest are counted. */
const IMPACT = ['regressed', 'slower', 'improved', 'unstable', 'inconclusive', 'not_judged', 'added', 'removed']

const WORD: Record<string, string> = {
  regressed: 'regressed',
  slower: 'slower, not confirmed',
  improved: 'improved',
  unstable: 'unstable',
  inconclusive: 'inconclusive',
  not_judged: 'not judged',
  added: 'added',
  removed: 'removed',
  unchanged: 'unchanged',
  not_run: 'not run',
  no_baseline: 'no baseline',
}

function badge(status: string): string {
  return `<span class="v v-${esc(status)}"><i aria-hidden="true"></i>${esc(WORD[status] ?? status)}</span>`
}

/** `case-<package>-<suite>-<case>` with only characters an id and a URL fragment keep as they are. */
function anchor(key: string): string {
  return `case-${key.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')}`
}

function runText(r: HtmlRun | undefined): string {
  if (r === undefined) return 'none'
  return `${r.label} @${r.commit?.slice(0, 7) ?? '?'}, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, on ${r.machine}`
}

/**
 * Renders one self-contained HTML file (no CDN; uPlot, the data and the flame graphs are inlined) that
 * opens from disk: the headline, the machines and the runs compared, an impact-sorted list linking to
 * each case, then per case its chart per machine (threshold band, change points with commit ranges,
 * log scale, search and package filter) and its profiles beside it (top functions with file:line, a
 * flame graph of each side and of the difference).
 * @param input - the runs, per-case histories, change points, verdicts and profiles to show.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const verdicts = input.cases ?? []
  const verdictOf = new Map(verdicts.map((v) => [v.key, v]))
  const groups = groupSeries(input.series)
  const order = (key: string): number => {
    const v = verdictOf.get(key)
    const k = v === undefined ? -1 : IMPACT.indexOf(v.status)
    return k < 0 ? IMPACT.length : k
  }
  const profileOf = keptProfiles(input.profiles, order)
  const byPackage = new Map<string, CaseGroup[]>()
  for (const g of groups.values()) byPackage.set(g.pkg, [...(byPackage.get(g.pkg) ?? []), g])
  // Packages in the order of their most urgent case, so a regression's package comes first.
  for (const list of byPackage.values()) list.sort((a, b) => order(a.key) - order(b.key))
  const packageOrder = [...byPackage].sort(([, a], [, b]) => order(a[0]!.key) - order(b[0]!.key))
  const sections = packageOrder.map(([pkg, list]) => {
    const cases = list.map((g) => caseSection(input, g, verdictOf, profileOf))
    return `<div class="pkg" data-package="${esc(pkg)}"><h2>${esc(pkg)}</h2>\n${cases.join('\n')}</div>`
  })
  const machines = [...new Set(input.runs.map((r) => r.machine))]
  const packages = [...byPackage.keys()].sort()
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${inlineSafe(asset('uplot/dist/uPlot.min.css'))}</style>
<style>${STYLE}</style></head><body>
<header class="top">
<h1>${esc(input.title)}</h1>
${input.headline ? `<p class="headline h-${headlineClass(verdicts)}" id="headline">${esc(noEmoji(input.headline))}</p>` : ''}
<dl class="meta">
<dt>Compared</dt><dd>baseline ${esc(runText(input.runs[input.baseline ?? -1]))}<br>current ${esc(runText(input.runs[input.current ?? -1]))}</dd>
<dt>Machines</dt><dd>${machines.map((m) => esc(m)).join('<br>') || '—'}</dd>
<dt>History</dt><dd>${input.historyRuns ?? input.runs.length} runs · ${groups.size} cases · generated ${esc(input.generatedAt.slice(0, 16).replace('T', ' '))} UTC</dd>
</dl>
<nav aria-label="cases that changed"><h2>What needs a look</h2>${impactList(verdicts)}</nav>
${input.notes.length ? `<details class="notes"><summary>${input.notes.length} note${input.notes.length === 1 ? '' : 's'}</summary><ul>${input.notes.map((n) => `<li>${esc(noEmoji(n))}</li>`).join('')}</ul></details>` : ''}
${input.highlights ?? ''}
</header>
<div class="filters" role="search">
<label>Find <input id="q" type="search" placeholder="case or suite"></label>
<label>Package <select id="pkg"><option value="">all</option>${packages.map((p) => `<option>${esc(p)}</option>`).join('')}</select></label>
<label><input id="log" type="checkbox"> log scale</label>
<span id="shown"></span>
</div>
<main>
${sections.join('\n')}
</main>
<details><summary>Every case (the markdown report's table)</summary>
${table(
  input.verdicts.headers,
  input.verdicts.rows.map((r) => r.map(noEmoji)),
  'verdicts',
)}
</details>
<details><summary>Environment of the current run</summary>
${table(
  ['Key', 'Value'],
  Object.entries(input.env).map(([k, v]) => [k, String(v ?? '—')]),
  'env',
)}
</details>
<details><summary>Runs (${input.runs.length}${(input.historyRuns ?? 0) > input.runs.length ? ` of ${input.historyRuns}: those the charts draw in full; \`report list\` lists every run` : ''})</summary>
${table(['Started (UTC)', 'Label', 'Commit', 'Machine', 'Cases', ''], runRows(input), 'runs')}
</details>
<script id="ttapi-data" type="application/json">${JSON.stringify(chartData(input)).replace(/</g, '\\u003c')}</script>
<script>${inlineSafe(asset('uplot/dist/uPlot.iife.min.js'))}</script>
<script>${inlineSafe(clientScript)}</script>
</body></html>
`
}

/** The data the page's script draws the charts from (runs, and per series its compacted quantiles). */
function chartData(input: HtmlReportInput): object {
  return {
    threshold: input.thresholdPct ?? 10,
    runs: input.runs.map((r) => ({
      date: r.startedAt.slice(0, 10),
      time: r.startedAt.slice(11, 16),
      label: r.label,
      commit: r.commit?.slice(0, 7) ?? '',
      machine: r.machine,
    })),
    series: input.series.map((s, i) => ({
      i,
      unit: s.unit,
      run: s.run,
      buckets: s.buckets?.map((b) => ({ from: b.from, to: b.to, runs: b.runs })),
      p5: compact(s.p5),
      p50: compact(s.p50),
      p95: compact(s.p95),
      baseline: input.baseline === null ? null : s.run.indexOf(input.baseline),
      current: input.current === null ? null : s.run.indexOf(input.current),
      changePoints: s.changePoints.map((c) => ({ index: c.index, change: Number(c.change.toPrecision(3)) })),
    })),
  }
}

/** The series of one case and profile: one page section, one chart per machine. */
interface CaseGroup {
  /** Package name. */
  pkg: string
  /** `package/suite/case` */
  key: string
  /** The harness profile when not `quick`, else null. */
  profile: string | null
  /** Indexes into the input's series. */
  idx: number[]
}

/** The series grouped by case and profile, in the order of their first series. */
function groupSeries(series: HtmlCaseSeries[]): Map<string, CaseGroup> {
  const groups = new Map<string, CaseGroup>()
  series.forEach((s, i) => {
    const key = `${s.package}/${s.suite}/${s.case}`
    const profile = s.profile && s.profile !== 'quick' ? s.profile : null
    const id = `${key}\u0000${profile ?? ''}`
    const g = groups.get(id) ?? { pkg: s.package, key, profile, idx: [] }
    g.idx.push(i)
    groups.set(id, g)
  })
  return groups
}

/** A profile comparison whose flame graphs may have been left out for the page's size. */
type KeptProfile = HtmlProfileComparison & { flameLeftOut?: true }

/**
 * The profiles by case. Flame graphs are ~50 KB each: the most urgent cases keep theirs within FLAME_BUDGET, the
 * others keep their top-functions table, so a run profiled case by case still makes a page under 5 MB.
 */
function keptProfiles(profiles: HtmlProfileComparison[], order: (key: string) => number): Map<string, KeptProfile> {
  let flameBytes = 0
  return new Map(
    [...profiles]
      .sort((a, b) => order(a.case) - order(b.case))
      .map((p) => {
        const size = p.flame ? p.flame.baseline.length + p.flame.current.length + p.flame.diff.length : 0
        if (size === 0 || flameBytes + size <= FLAME_BUDGET) {
          flameBytes += size
          return [p.case, p] as const
        }
        return [p.case, { ...p, flame: undefined, flameLeftOut: true }] as const
      }),
  )
}

/** One case's section: its verdict and reason, a chart per machine and its profile beside them. */
function caseSection(
  input: HtmlReportInput,
  g: CaseGroup,
  verdictOf: Map<string, HtmlCaseVerdict>,
  profileOf: Map<string, KeptProfile>,
): string {
  const first = input.series[g.idx[0]!]!
  const v = g.profile === null ? verdictOf.get(g.key) : undefined
  const id = anchor(`${g.key}${g.profile ? `-${g.profile}` : ''}`)
  const charts = g.idx.map((i) => seriesChart(input, i)).join('')
  const prof = g.profile === null ? profileOf.get(g.key) : undefined
  const profile = prof === undefined ? '' : profileBlock(prof)
  return `<section class="case" id="${id}" data-package="${esc(first.package)}" data-name="${esc(`${first.suite}/${first.case}`)}">
<h3>${v ? badge(v.status) : ''} ${esc(first.suite)} › ${esc(first.case)}${g.profile ? ` <small>(${esc(g.profile)} profile)</small>` : ''}</h3>
${v && v.reason ? `<p class="why">${esc(noEmoji(v.reason))}</p>` : ''}
<div class="body${prof ? ' with-profile' : ''}"><div class="charts">${charts}</div>${profile}</div>
</section>`
}

/** The chart of series `i` (one machine) and its change points with their dates and commits. */
function seriesChart(input: HtmlReportInput, i: number): string {
  const s = input.series[i]!
  const cps = s.changePoints.length
    ? `<ul class="cps">${s.changePoints
        .map((c) => {
          const before = pointDate(input, s, c.index - 1, 'to')
          const after = pointDate(input, s, c.index, 'from')
          return `<li>change point at run ${c.index + 1}: <b>${c.change >= 0 ? '+' : '−'}${Math.abs(c.change * 100).toFixed(1)}%</b> p50 (p=${c.pValue.toExponential(1)}), between ${esc(before)} and ${esc(after)}, commits <code>${esc(c.fromCommit?.slice(0, 7) ?? '?')}..${esc(c.toCommit?.slice(0, 7) ?? '?')}</code></li>`
        })
        .join('')}</ul>`
    : ''
  return `<div class="series" data-series="${i}"><h4>on ${esc(s.machine ?? input.runs[s.run[0]!]?.machine ?? '?')} <small>${pointsText(s)}</small></h4><div class="chart chart-latency"></div>${cps}</div>`
}

/** "Where the time goes": the top functions of both sides, then the flame graphs (or why they were left out). */
function profileBlock(prof: KeptProfile): string {
  return `<div class="profile"><h4>Where the time goes</h4>${table(
    ['Function (file:line)', 'Baseline self', 'Current self', 'Change'],
    prof.rows.map((r) => [
      r.fn,
      pct(r.baselinePct),
      pct(r.currentPct),
      r.baselinePct !== null && r.currentPct !== null
        ? `${r.currentPct - r.baselinePct >= 0 ? '+' : '−'}${Math.abs(r.currentPct - r.baselinePct).toFixed(1)} pp`
        : '—',
    ]),
    'profile',
  )}${
    prof.flame
      ? `<h5>Difference (current, red: more time than the baseline, blue: less)</h5>${prof.flame.diff}<details><summary>Baseline and current flame graphs</summary><h5>Baseline</h5>${prof.flame.baseline}<h5>Current</h5>${prof.flame.current}</details>`
      : 'flameLeftOut' in prof
        ? `<p class="folded">Flame graphs left out: the page keeps ${(FLAME_BUDGET / 1e6).toFixed(1)} MB for those of the most urgent cases.</p>`
        : ''
  }</div>`
}

/** "What needs a look": what moved (regressed, slower, improved, unstable) listed, the undecided rest on demand, the others counted. */
function impactList(verdicts: HtmlCaseVerdict[]): string {
  const listed = verdicts.filter((v) => IMPACT.includes(v.status))
  const folded = new Map<string, number>()
  for (const v of verdicts) if (!IMPACT.includes(v.status)) folded.set(v.status, (folded.get(v.status) ?? 0) + 1)
  const impactTable = (rows: HtmlCaseVerdict[]): string =>
    `<table class="impact"><thead><tr><th scope="col">Verdict</th><th scope="col">Change</th><th scope="col">Case</th></tr></thead><tbody>${rows
      .map(
        (v) =>
          `<tr class="r-${esc(v.status)}"><td>${badge(v.status)}</td><td class="num">${esc(v.change)}</td><td><a href="#${anchor(v.key)}">${esc(v.package)} › ${esc(v.name)}</a></td></tr>`,
      )
      .join('')}</tbody></table>`
  const moved = listed.filter((v) => IMPACT.indexOf(v.status) <= IMPACT.indexOf('unstable'))
  const rest = listed.filter((v) => !moved.includes(v))
  const restCounts = [...new Set(rest.map((v) => v.status))]
    .map((k) => `${rest.filter((v) => v.status === k).length} ${WORD[k] ?? k}`)
    .join(', ')
  const impact =
    (moved.length ? impactTable(moved) : '<p>Nothing moved beyond its threshold.</p>') +
    (rest.length ? `<details class="rest"><summary>${esc(restCounts)}</summary>${impactTable(rest)}</details>` : '')
  const foldedText = [...folded].map(([k, n]) => `${n} ${WORD[k] ?? k}`).join(', ')
  return `${impact}${foldedText ? `<p class="folded">Not listed: ${esc(foldedText)}.</p>` : ''}`
}

/** The runs table's rows, newest first, the baseline and current runs marked. */
function runRows(input: HtmlReportInput): string[][] {
  return input.runs
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
}

/** The headline's colour: the worst verdict of any case. */
function headlineClass(verdicts: HtmlCaseVerdict[]): string {
  return verdicts.some((v) => v.status === 'regressed')
    ? 'regressed'
    : verdicts.some((v) => v.status === 'slower')
      ? 'slower'
      : verdicts.some((v) => v.status === 'improved')
        ? 'improved'
        : 'neutral'
}

const STYLE = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1500px;padding:12px 20px;color:#111827;overflow-wrap:anywhere}
h1{font-size:20px;margin:4px 0 6px}h2{font-size:17px;margin:18px 0 6px}h3{font-size:15px;margin:6px 0 2px}h4{font-size:13px;margin:6px 0 0;color:#374151}h5{margin:8px 0 2px;font-size:12px;color:#374151}
small{color:#6b7280;font-weight:normal}
table{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums;max-width:100%}
th,td{border:1px solid #e5e7eb;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}
.top{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:4px 24px;align-items:start}
.top h1,.top .headline{grid-column:1/-1}
.top nav h2{margin-top:0}
@media (max-width:1100px){.top{grid-template-columns:minmax(0,1fr)}}
.headline{font-size:16px;font-weight:600;padding:8px 12px;border-radius:6px;margin:0 0 6px;border-left:6px solid}
.h-regressed{background:#fef2f2;border-color:#dc2626}.h-slower{background:#fffbeb;border-color:#d97706}
.h-improved{background:#f0fdf4;border-color:#16a34a}.h-neutral{background:#f3f4f6;border-color:#6b7280}
.meta{display:grid;grid-template-columns:auto minmax(0,1fr);gap:2px 12px;margin:0}.meta dt{color:#6b7280}.meta dd{margin:0}
.impact td.num{white-space:nowrap}.impact{width:100%}
.folded{color:#6b7280;margin:0}
.v{display:inline-flex;align-items:center;gap:5px;font-weight:600;font-size:12px;white-space:nowrap}
.v i{display:inline-block;width:10px;height:10px}
.v-regressed{color:#b91c1c}.v-regressed i{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:10px solid #dc2626}
.v-slower{color:#b45309}.v-slower i{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-bottom:10px solid #f59e0b}
.v-improved{color:#15803d}.v-improved i{width:0;height:0;border-left:6px solid transparent;border-right:6px solid transparent;border-top:10px solid #16a34a}
.v-unstable{color:#b45309}.v-unstable i{background:#f59e0b;transform:rotate(45deg);width:8px;height:8px}
.v-inconclusive{color:#4b5563}.v-inconclusive i{border:2px solid #6b7280;border-radius:50%}
.v-not_judged,.v-not_run,.v-no_baseline{color:#6b7280}.v-not_judged i,.v-not_run i,.v-no_baseline i{border:2px dashed #9ca3af;border-radius:50%}
.v-unchanged{color:#4b5563}.v-unchanged i{background:#9ca3af;height:3px}
.v-added{color:#1d4ed8}.v-added i{background:#3b82f6;border-radius:50%}
.v-removed{color:#6b7280}.v-removed i{background:#6b7280;height:3px;width:10px}
.filters{position:sticky;top:0;z-index:5;background:#fffe;display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center;padding:6px 0;border-bottom:1px solid #e5e7eb;margin-top:8px}
.filters input[type=search]{width:16em;max-width:60vw}
#shown{color:#6b7280}
.case{border-top:1px solid #e5e7eb;padding:6px 0 10px}.why{margin:0 0 4px;color:#374151}
.body{display:grid;grid-template-columns:minmax(0,1fr);gap:12px}
@media (min-width:1300px){.body.with-profile{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.chart{min-height:40px;width:100%}.cps{margin:2px 0 6px;padding-left:18px;color:#991b1b;font-size:13px}
.profile table{font-size:12px;width:100%}.flame{display:block;border:1px solid #e5e7eb}.flame text{fill:#111827;pointer-events:none}
.flame rect{stroke:#fff;stroke-width:.5}
.notes li{color:#92400e}
details{margin:8px 0}summary{cursor:pointer;color:#374151;font-weight:600}
.hover{font-size:12px;color:#374151;min-height:1.45em;font-variant-numeric:tabular-nums}
`
