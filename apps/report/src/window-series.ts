import type { HtmlBucket, HtmlCaseSeries, HtmlReportInput } from './html-report.ts'

/** Options of {@link windowHtmlInput}. */
export interface HtmlWindowOptions {
  /** Newest points of each series drawn in full (one per run). @default 200 */
  runs?: number
  /** Most buckets the older points of a series are folded into (the bucket width grows until they fit). @default 100 */
  maxBuckets?: number
}

/** Bucket widths tried in turn, in days: a week, a fortnight, four weeks, a quarter, half a year, a year. */
const WIDTHS = [7, 14, 28, 91, 182, 365]

const DAY_MS = 86_400_000

/**
 * The HTML input with long histories windowed, so one page stays small at any history length: per
 * series the newest `runs` points in full, the older ones folded into calendar buckets (UTC weeks
 * from Monday 1970-01-05, or wider until at most `maxBuckets` remain), each drawn as one point: the median
 * of its p50s and throughputs, the lowest p5 and the highest p95. Change points keep their place (one
 * in a bucket marks the bucket). `runs` keeps only the runs some point still draws, plus baseline and
 * current; `historyRuns` says how many the history holds.
 * @param input - what `buildHtmlInput` assembled.
 * @example windowHtmlInput(input, { runs: 200 }).series[0].buckets?.length
 */
export function windowHtmlInput(input: HtmlReportInput, options: HtmlWindowOptions = {}): HtmlReportInput {
  const keep = options.runs ?? 200
  const maxBuckets = options.maxBuckets ?? 100
  // Each run's start parsed once, not once per series.
  const times = Float64Array.from(input.runs, (r) => Date.parse(r.startedAt))
  const at = (i: number): number => times[i]!
  const series = input.series.map((s) => windowSeries(s, keep, maxBuckets, at))
  // The runs still drawn, oldest first, and where each one moved to.
  const used = new Set<number>()
  for (const s of series) for (const r of s.run) if (r >= 0) used.add(r)
  if (input.baseline !== null) used.add(input.baseline)
  if (input.current !== null) used.add(input.current)
  const kept = [...used].sort((a, b) => a - b)
  const moved = new Map(kept.map((r, i) => [r, i]))
  const remap = (r: number | null): number | null => (r === null ? null : (moved.get(r) ?? null))
  for (const s of series) s.run = s.run.map((r) => (r < 0 ? r : moved.get(r)!))
  return {
    ...input,
    runs: kept.map((r) => input.runs[r]!),
    historyRuns: input.historyRuns ?? input.runs.length,
    baseline: remap(input.baseline),
    current: remap(input.current),
    series,
  }
}

function windowSeries(
  s: HtmlCaseSeries,
  keep: number,
  maxBuckets: number,
  at: (run: number) => number,
): HtmlCaseSeries {
  const older = s.run.length - keep
  if (older <= 0) return { ...s }
  const first = at(s.run[0]!)
  const last = at(s.run[older - 1]!)
  // Weeks start on Monday: 1970-01-05 is one.
  const origin = Date.UTC(1970, 0, 5)
  const width =
    WIDTHS.find(
      (w) => Math.floor((last - origin) / (w * DAY_MS)) - Math.floor((first - origin) / (w * DAY_MS)) < maxBuckets,
    ) ?? WIDTHS.at(-1)!
  const slot = (i: number): number => Math.floor((at(s.run[i]!) - origin) / (width * DAY_MS))
  const groups: number[][] = []
  for (let i = 0; i < older; i++) {
    const g = groups.at(-1)
    if (g !== undefined && slot(g[0]!) === slot(i)) g.push(i)
    else groups.push([i])
  }
  const pick = (xs: number[], g: number[]): number[] => g.map((i) => xs[i]!)
  const buckets: HtmlBucket[] = groups.map((g) => ({
    from: new Date(at(s.run[g[0]!]!)).toISOString().slice(0, 10),
    to: new Date(at(s.run[g.at(-1)!]!)).toISOString().slice(0, 10),
    runs: g.length,
    days: width,
  }))
  const pointOf = (i: number): number =>
    i < older ? groups.findIndex((g) => g.at(-1)! >= i) : groups.length + i - older
  return {
    ...s,
    buckets,
    run: [...groups.map(() => -1), ...s.run.slice(older)],
    p5: [...groups.map((g) => Math.min(...pick(s.p5, g))), ...s.p5.slice(older)],
    p50: [...groups.map((g) => median(pick(s.p50, g))), ...s.p50.slice(older)],
    p95: [...groups.map((g) => Math.max(...pick(s.p95, g))), ...s.p95.slice(older)],
    throughput: [...groups.map((g) => median(pick(s.throughput, g))), ...s.throughput.slice(older)],
    changePoints: s.changePoints.map((c) => ({ ...c, index: pointOf(c.index) })),
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
