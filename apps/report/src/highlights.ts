import { formatBytes, formatSI, quantile } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import { compareRuns } from './compare-runs.ts'
import type { History, ReportConfig, Run } from './types.ts'

/** One headline figure of the highlights page, from one run on one machine. */
export interface Highlight {
  /** What it says, e.g. `Cached pipeline vs cold`. */
  title: string
  /** The figure, e.g. `12.4× faster`. */
  figure: string
  /** The numbers behind it, e.g. `p50 1.20 s cold vs 96.8 ms cached`. */
  detail: string
  /** The command that reproduces it (then `pnpm report` shows the run). */
  command: string
  /** The run it comes from. */
  run: { id: string; label: string; startedAt: string; commit: string | null; file: string }
  /** The machine it was measured on. */
  machine: { id: string; name: string }
}

/** "No confirmed regression on main in N days (M runs on machine)", from the gate's own verdicts. */
export interface RegressionFreeStreak {
  /** Days from the streak's first run to the newest run (whole days, rounded down). */
  days: number
  /** Runs of the baseline label in the streak on that machine (each judged against the one before it). */
  runs: number
  /** The machine. */
  machine: { id: string; name: string }
  /** The streak's first and newest run. */
  from: Highlight['run']
  to: Highlight['run']
  /** True when the most pairs allowed were judged without a regression: the streak is at least this long. */
  capped: boolean
  /** The newest run with a confirmed regression against its predecessor, or null when there was none. */
  lastRegression: { run: Highlight['run']; cases: string[] } | null
}

/** What `report highlights` prints. */
export interface Highlights {
  /** The baseline label the figures come from (`main`). */
  label: string
  /** Figures found; a headline with no run holding all its cases is left out, never estimated. */
  figures: Highlight[]
  /** Headlines left out, with why. */
  missing: { title: string; why: string }[]
  /** The regression-free streak on the machine with the most runs of the label, or null without two runs. */
  streak: RegressionFreeStreak | null
}

/** A headline: the cases it needs in one run, and how it turns their records into a figure. */
interface Headline {
  title: string
  cases: string[]
  command: string
  make(records: BenchRecord[]): { figure: string; detail: string }
}

function memoryFigure(ours: number, peer: number): string {
  return ours <= peer
    ? `${(peer / ours).toFixed(2)}× less peak memory`
    : `${(ours / peer).toFixed(2)}× more peak memory`
}

const p50 = (r: BenchRecord): number => quantile(Float64Array.from(r.samples_ms).sort(), 0.5)
const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toPrecision(3)} ms`)

/** The headlines of the reference's "Performance Highlights", each from cases measured in one run. */
export const HEADLINES: readonly Headline[] = [
  {
    // The `ttapi watch` refresh (PipelineSession): the mode the reference's 23x cached-vs-cold figure compares with.
    title: 'Cached pipeline vs cold (ttapi watch refresh)',
    cases: ['pipeline/pipeline_watch_refresh_cold', 'pipeline/pipeline_watch_refresh_cached'],
    command: "pnpm --filter @ttapi/pipeline bench -- --filter '^pipeline/pipeline_watch_refresh_(cold|cached)$'",
    make: ([cold, cached]) => ({
      figure: `${(p50(cold!) / p50(cached!)).toFixed(1)}× faster`,
      detail: `p50 ${ms(p50(cold!))} cold vs ${ms(p50(cached!))} cached`,
    }),
  },
  {
    title: 'MetaStock import',
    cases: ['columnar_io/metastock_import'],
    command: "pnpm --filter @ttapi/columnar-io bench -- --filter '^columnar_io/metastock_import$'",
    make: ([r]) => ({
      figure: `${formatSI(r!.items_per_op / (p50(r!) / 1000))} ${r!.unit}/s`,
      detail: `${formatSI(r!.items_per_op)} ${r!.unit} in ${ms(p50(r!))} (p50)`,
    }),
  },
  {
    title: 'CSV import',
    cases: ['columnar_io/csv_import'],
    command: "pnpm --filter @ttapi/columnar-io bench -- --filter '^columnar_io/csv_import$'",
    make: ([r]) => ({
      figure: `${formatSI(r!.items_per_op / (p50(r!) / 1000))} ${r!.unit}/s`,
      detail: `${formatSI(r!.items_per_op)} ${r!.unit} in ${ms(p50(r!))} (p50)`,
    }),
  },
  {
    title: 'CSV import memory vs DuckDB (same run)',
    cases: ['columnar_io/csv_import', 'columnar_io/csv_import_duckdb'],
    command: "pnpm --filter @ttapi/columnar-io bench -- --filter '^columnar_io/csv_import(_duckdb)?$'",
    make: ([ours, peer]) => ({
      // Said either way round: the page reports what was measured, a loss included.
      figure: memoryFigure(ours!.memory.rss_peak_bytes!, peer!.memory.rss_peak_bytes!),
      detail: `peak RSS ${formatBytes(ours!.memory.rss_peak_bytes)} vs ${formatBytes(peer!.memory.rss_peak_bytes)} (DuckDB)`,
    }),
  },
]

function runRef(run: Run): Highlight['run'] {
  return { id: run.id, label: run.label, startedAt: run.startedAt, commit: run.commit, file: run.files[0] ?? '' }
}

/** The newest run of `label` holding every case of `h` (memory headlines also need peak RSS on each). */
function newestWith(runs: Run[], h: Headline): { run: Run; records: BenchRecord[] } | null {
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!
    const records = h.cases.map((k) => run.records.find((x) => `${x.record.suite}/${x.record.case}` === k)?.record)
    if (records.every((r) => r !== undefined && r.memory.rss_peak_bytes !== null))
      return { run, records: records as BenchRecord[] }
  }
  return null
}

/**
 * Consecutive pairs of runs judged at most by default, newest first: the streak is then "at least"
 * that long. Each pair is a full comparison (about 1 s per pair of 100-case runs, measured on a
 * generated 300-run history), so the HTML report judges fewer.
 */
export const MAX_STREAK_PAIRS = 60

/** Options of {@link buildHighlights}. */
export interface HighlightsOptions {
  /** Pairs of consecutive runs judged at most for the streak. @default MAX_STREAK_PAIRS */
  maxPairs?: number
}

/**
 * The regression-free streak on the machine with the most runs of the label: each run judged
 * against the run of the label before it on that machine, with the report's own rules and config
 * (`compareRuns`), newest pair first, until a confirmed regression (the streak starts at the run
 * that regressed, exclusive) or `maxPairs` pairs.
 */
function streakOf(runs: Run[], config: ReportConfig, maxPairs: number): RegressionFreeStreak | null {
  const byMachine = new Map<string, Run[]>()
  for (const r of runs) byMachine.set(r.machine.id, [...(byMachine.get(r.machine.id) ?? []), r])
  const mine = [...byMachine.values()].sort(
    (a, b) => b.length - a.length || (a.at(-1)!.startedAt < b.at(-1)!.startedAt ? 1 : -1),
  )[0]
  if (!mine || mine.length < 2) return null
  let start = 0
  let lastRegression: RegressionFreeStreak['lastRegression'] = null
  const stop = Math.max(1, mine.length - maxPairs)
  for (let i = mine.length - 1; i >= stop; i--) {
    const c = compareRuns(mine[i - 1]!, mine[i]!, { config })
    const regressed = c.cases.filter((x) => x.status === 'regressed').map((x) => `${x.suite}/${x.case}`)
    if (regressed.length > 0) {
      start = i
      lastRegression = { run: runRef(mine[i]!), cases: regressed }
      break
    }
    start = i - 1
  }
  const capped = lastRegression === null && start > 0
  const window = mine.slice(start)
  const from = window[0]!
  const to = window.at(-1)!
  const days = Math.floor((Date.parse(to.startedAt) - Date.parse(from.startedAt)) / 86_400_000)
  return {
    days,
    runs: window.length,
    capped,
    machine: { id: to.machine.id, name: to.machine.name },
    from: runRef(from),
    to: runRef(to),
    lastRegression,
  }
}

/**
 * The "Performance Highlights" from the history: each headline from the newest run of the baseline
 * label holding all its cases (so ratios are of one run on one machine), and the regression-free
 * streak from the gate's verdicts between consecutive runs of that label.
 *
 * @param history - The loaded history.
 * @param config - The report config (thresholds, baseline label).
 * @param options - How far back the streak is judged.
 * @returns Figures, headlines left out and the streak.
 */
export function buildHighlights(history: History, config: ReportConfig, options: HighlightsOptions = {}): Highlights {
  const label = config.baselineLabel
  const runs = history.runs.filter((r) => r.label === label)
  const figures: Highlight[] = []
  const missing: Highlights['missing'] = []
  for (const h of HEADLINES) {
    const found = newestWith(runs, h)
    if (found === null) {
      missing.push({ title: h.title, why: `no ${label} run holds ${h.cases.join(' and ')}` })
      continue
    }
    const { run, records } = found
    figures.push({
      title: h.title,
      ...h.make(records),
      command: h.command,
      run: runRef(run),
      machine: { id: run.machine.id, name: run.machine.name },
    })
  }
  return { label, figures, missing, streak: streakOf(runs, config, options.maxPairs ?? MAX_STREAK_PAIRS) }
}
