import { judgeAllocation } from './allocation-gate.ts'
import { quantile } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import { benjaminiHochberg } from './benjamini-hochberg.ts'
import { bootstrapRatios } from './bootstrap.ts'
import { covers, isBusy, notComparable } from './comparable.ts'
import { DEFAULT_CONFIG, thresholdsFor } from './config.ts'
import { hierarchicalBootstrap } from './hierarchical-bootstrap.ts'
import { caseKey } from './load-history.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import { processSamples, processTIntervals, unstableSide } from './processes.ts'
import { seedFor } from './_random.ts'
import { isSummaryRecord, judgeSummary, summaryComparison } from './summary-comparison.ts'
import type { SummaryComparison } from './summary-comparison.ts'
import { combineVerdicts, judgeMetric } from './verdict.ts'
import type {
  BaselineChoice,
  CaseComparison,
  CaseFigures,
  CaseStatus,
  CompareOptions,
  Comparison,
  EnvDifference,
  TimeMetric,
  MetricChange,
  MetricJudgement,
  NotJudgedWhy,
  RatioInterval,
  ReportConfig,
  Run,
  RunSummary,
  StatusCounts,
} from './types.ts'

/** Why a row was not judged, in words. */
const NOT_JUDGED_REASON: Record<NotJudgedWhy, (b: BenchRecord, c: BenchRecord) => string> = {
  other_machine: (b, c) =>
    `other machine — not judged: baseline on ${b.machine.name}, current on ${c.machine.name} (--cross-machine judges anyway)`,
  other_config: (b, c) =>
    `other configuration — not judged: baseline ${b.config.profile} (${b.items_per_op} ${b.unit}/op, ${b.config.measurement_ms} ms), ` +
    `current ${c.config.profile} (${c.items_per_op} ${c.unit}/op, ${c.config.measurement_ms} ms)`,
  busy: (b, c) => {
    const side = (b.host.other_cpu_cores ?? 0) > (c.host.other_cpu_cores ?? 0) ? b : c
    return (
      `busy machine — not judged: other processes took ${(side.host.other_cpu_cores ?? 0).toFixed(2)} cores during the ` +
      `${side === b ? 'baseline' : 'current'} run's measurement; re-run on an idle machine (--judge-busy judges anyway)`
    )
  },
}

/**
 * Compares two runs case by case: p50, p95, throughput, peak RSS and GC time with their changes;
 * 95% intervals of the p50 and p95 ratios (a hierarchical bootstrap over processes, then samples;
 * with one process a side the ordinary one); a p-value per case (Mann-Whitney U with one process a
 * side, else the hierarchical bootstrap's), Benjamini-Hochberg adjusted across the judged cases; and a
 * verdict per case (see {@link judgeMetric}). Each case's baseline comes from `options.baselines`
 * when given (see `selectRuns`), else from the baseline run. Cases that ran on another machine, with
 * another configuration or on a busy machine show their ratios as `not_judged`; cases the current
 * run's selection did not cover are `not_run`, not `removed`. Processes of one side that disagree
 * beyond their own noise flag the case `unstable`.
 * @param baseline - the baseline run, or null.
 * @param current - the current run.
 * @example compareRuns(selection.baseline, selection.current, { config, baselines: selection.baselines })
 */
export function compareRuns(baseline: Run | null, current: Run, options: CompareOptions = {}): Comparison {
  const config: ReportConfig = { ...DEFAULT_CONFIG, ...options.config }
  const { currentByKey, baselineByKey, baselineRuns, primary } = pairRecords(baseline, current, options)
  const keys = [...new Set([...baselineByKey.keys(), ...currentByKey.keys()])].sort()
  const rows: CaseComparison[] = []
  const pending: Pending[] = []
  for (const key of keys) {
    const bChoice = baselineByKey.get(key)
    const b = side(bChoice?.record)
    const c = side(currentByKey.get(key))
    const row = caseRow(b, bChoice?.run, c, current, primary, options)
    rows.push(row)
    const measured = b && c ? measureCase(row, b, c, seedFor(config.seed, key), config) : null
    if (measured !== null) pending.push(measured)
  }
  judgePending(pending, config)
  const envDifferences = primary ? differences(primary, current, rows, baselineByKey, currentByKey) : []
  return {
    baseline: primary ? summarize(primary) : null,
    baselineRuns: baselineRuns.map(summarize),
    noComparable: options.noComparable ?? null,
    current: summarize(current),
    cases: rows,
    counts: countStatuses(rows),
    fingerprintMismatch: rows.some((r) => r.fingerprintMismatch && r.status !== 'not_judged'),
    envDifferences,
    settings: {
      alpha: config.alpha,
      resamples: config.resamples,
      seed: config.seed,
      thresholds: { ...config.thresholds, alloc: config.thresholds.alloc ?? null },
    },
  }
}

/** The records of both sides by case key, the baseline runs they come from (newest first) and the primary one. */
interface PairedRecords {
  /** The current run's records by case key. */
  currentByKey: Map<string, BenchRecord>
  /** Each case's baseline record and the run it comes from. */
  baselineByKey: Map<string, BaselineChoice>
  /** The runs the baselines come from, newest first. */
  baselineRuns: Run[]
  /** The baseline run, else the newest of `baselineRuns`, else null. */
  primary: Run | null
}

/** Pairs the current run's records with their baselines (per case from `options.baselines`, else the baseline run). */
function pairRecords(baseline: Run | null, current: Run, options: CompareOptions): PairedRecords {
  const currentByKey = new Map(current.records.map((r) => [caseKey(r.record), r.record]))
  const baselineByKey: Map<string, BaselineChoice> = new Map(
    options.baselines ?? (baseline?.records ?? []).map((hr) => [caseKey(hr.record), { ...hr, run: baseline! }]),
  )
  const baselineRuns = [...new Set([...baselineByKey.values()].map((x) => x.run))].sort((x, y) =>
    x.startedAt < y.startedAt ? 1 : x.startedAt > y.startedAt ? -1 : 0,
  )
  const primary = baseline ?? baselineRuns[0] ?? null
  // Per-case baselines hold only the current run's cases: the newest baseline run's other cases
  // are what was removed (or not run, when the current selection did not cover them).
  if (options.baselines !== undefined && primary !== null)
    for (const hr of primary.records) {
      const key = caseKey(hr.record)
      if (!currentByKey.has(key) && !baselineByKey.has(key)) baselineByKey.set(key, { ...hr, run: primary })
    }
  return { currentByKey, baselineByKey, baselineRuns, primary }
}

/** One side of a case: its record, every sample sorted, the samples of each process. */
interface Side {
  /** The record. */
  record: BenchRecord
  /** Every sample, sorted once: the figures and the within-process tests read them. */
  sorted: Float64Array
  /** The samples of each process. */
  processes: Float64Array[]
}

/** The side of a record, or null without one. */
function side(record: BenchRecord | undefined): Side | null {
  if (record === undefined) return null
  return { record, sorted: Float64Array.from(record.samples_ms).sort(), processes: processSamples(record) }
}

/** A judged case waiting for the q-values of all judged cases. */
interface Pending {
  /** The case's row, judged in place. */
  row: CaseComparison
  /** The baseline's samples, one array per process. */
  base: Float64Array[]
  /** The current run's samples, one array per process. */
  cur: Float64Array[]
  /** Set when either side is an imported summary: judged by the mean ratio (see summaryComparison). */
  summary: SummaryComparison | null
}

/** A case's row before any interval or verdict: status, reason, figures and changes of both sides, instability. */
function caseRow(
  bSide: Side | null,
  bRun: Run | undefined,
  cSide: Side | null,
  current: Run,
  primary: Run | null,
  options: CompareOptions,
): CaseComparison {
  const b = bSide?.record
  const c = cSide?.record
  const bp = bSide?.processes
  const cp = cSide?.processes
  const ref = (c ?? b)!
  const bf = bSide && bRun ? figures(bSide.record, bSide.sorted, bSide.processes, bRun) : null
  const cf = cSide ? figures(cSide.record, cSide.sorted, cSide.processes, current) : null
  const why = b && c ? notComparable(b, c, options) : null
  const status: CaseStatus =
    !b && !c
      ? 'no_baseline'
      : !b
        ? primary === null || !covers(primary, ref)
          ? 'no_baseline'
          : 'added'
        : !c
          ? covers(current, ref)
            ? 'removed'
            : 'not_run'
          : why !== null
            ? 'not_judged'
            : 'inconclusive'
  const row: CaseComparison = {
    package: ref.package,
    suite: ref.suite,
    case: ref.case,
    unit: ref.unit,
    status,
    notJudged: why,
    unstable: null,
    withinProcessOnly: (bp?.length ?? 1) < 2 || (cp?.length ?? 1) < 2,
    reason:
      status === 'no_baseline'
        ? primary === null
          ? 'no baseline run'
          : 'no comparable baseline record (same machine, same configuration, labelled as the baseline)'
        : status === 'added'
          ? 'only in the current run'
          : status === 'removed'
            ? 'only in the baseline run, though the current run selected it'
            : status === 'not_run'
              ? 'not in the current run’s selection'
              : status === 'not_judged'
                ? NOT_JUDGED_REASON[why!](b!, c!)
                : '',
    baseline: bf,
    current: cf,
    p50: change(bf?.p50Ms, cf?.p50Ms),
    p95: change(bf?.p95Ms, cf?.p95Ms),
    throughput: change(bf?.itemsPerS, cf?.itemsPerS),
    rssPeak: change(bf?.rssPeakBytes, cf?.rssPeakBytes),
    gcMs: change(bf?.gcMs, cf?.gcMs),
    alloc: change(bf?.allocBytesPerOp, cf?.allocBytesPerOp),
    intervals: null,
    pValue: null,
    qValue: null,
    metrics: [],
    fingerprintMismatch: b !== undefined && c !== undefined && b.fingerprint !== c.fingerprint,
  }
  row.unstable = unstable(bp ?? null, cp ?? null)
  return row
}

/** The side whose processes disagree most beyond their noise, if either does: a run alone can show it. */
function unstable(bp: Float64Array[] | null, cp: Float64Array[] | null): CaseComparison['unstable'] {
  const ub = bp ? unstableSide(bp) : null
  const uc = cp ? unstableSide(cp) : null
  const worse = ub !== null && (uc === null || ub >= uc) ? 'baseline' : uc !== null ? 'current' : null
  if (worse === null) return null
  return {
    side: worse,
    spread: (worse === 'baseline' ? ub : uc)!,
    processes: worse === 'baseline' ? bp!.length : cp!.length,
  }
}

/**
 * A case on both sides: its ratio intervals and p-value set on `row`; the case to judge once every q-value is known,
 * or null (not comparable, or a summary without a p-value, judged here).
 */
function measureCase(
  row: CaseComparison,
  bSide: Side,
  cSide: Side,
  seed: number,
  config: ReportConfig,
): Pending | null {
  const [b, c, bp, cp] = [bSide.record, cSide.record, bSide.processes, cSide.processes]
  const why = row.notJudged
  const summary = isSummaryRecord(b) || isSummaryRecord(c) ? summaryComparison(b, c) : null
  if (summary !== null) {
    // A tool's summary has no samples to resample: the mean ratio's interval stands for both columns.
    row.pValue = summary.pValue
    row.intervals = summary.interval === null ? null : { p50: summary.interval, p95: summary.interval }
    if (why !== null) return null
    if (summary.pValue !== null) return { row, base: bp, cur: cp, summary }
    const j = judgeSummary(summary, thresholdsFor(config, row.package), false)
    row.status = j?.verdict ?? 'unchanged'
    row.reason = j?.reason ?? ''
    row.metrics = j ? [{ metric: j.metric, thresholdPct: j.thresholdPct, verdict: j.verdict }] : []
    return null
  }
  if (row.withinProcessOnly) {
    row.pValue = mannWhitneyU(bSide.sorted, cSide.sorted).pValue
    const [p50, p95] = bootstrapRatios(bSide.sorted, cSide.sorted, {
      resamples: config.resamples,
      seed,
      probs: [0.5, 0.95],
    })
    row.intervals = { p50: p50!, p95: p95! }
  } else {
    const h = hierarchicalBootstrap(bp, cp, { resamples: config.resamples, seed, probs: [0.5, 0.95] })
    // The wider of the two-level bootstrap and the Student-t interval over per-process quantiles:
    // with a few processes a side the bootstrap alone is too narrow (see processTIntervals).
    const t = processTIntervals(bp, cp, [0.5, 0.95])
    const widen = (i: RatioInterval, [low, high]: [number, number]): RatioInterval => ({
      ratio: i.ratio,
      low: Math.min(i.low, low),
      high: Math.max(i.high, high),
    })
    row.pValue = h.pValue
    row.intervals = { p50: widen(h.intervals[0]!, t[0]!), p95: widen(h.intervals[1]!, t[1]!) }
  }
  return why === null ? { row, base: bp, cur: cp, summary: null } : null
}

/** Benjamini-Hochberg q-values across the judged cases, then each case's verdict, metrics and reason. */
function judgePending(pending: Pending[], config: ReportConfig): void {
  const q = benjaminiHochberg(pending.map((p) => p.row.pValue!))
  pending.forEach(({ row, base, cur, summary }, i) => {
    row.qValue = q[i]!
    const thresholds = thresholdsFor(config, row.package)
    if (summary !== null) {
      const j = judgeSummary(summary, thresholds, row.qValue <= config.alpha)
      row.metrics = j ? [{ metric: j.metric, thresholdPct: j.thresholdPct, verdict: j.verdict }] : []
      row.status = j?.verdict ?? 'unchanged'
      row.reason = j ? `${j.reason} (${formatQ(row.qValue)})` : ''
      return
    }
    const judgements: MetricJudgement[] = []
    const count = (side: Float64Array[]): number => side.reduce((a, p) => a + p.length, 0)
    for (const metric of ['p50', 'p95'] as TimeMetric[]) {
      const t = thresholds[metric]
      if (t === null) continue
      judgements.push(
        judgeMetric({
          metric,
          interval: row.intervals![metric],
          thresholdPct: t,
          significant: row.qValue <= config.alpha,
          n: { baseline: count(base), current: count(cur) },
          processes: { baseline: base.length, current: cur.length },
        }),
      )
    }
    const allocPct = thresholds.alloc ?? null
    if (allocPct !== null) {
      const alloc = judgeAllocation(row.baseline!.processAllocBytesPerOp, row.current!.processAllocBytesPerOp, allocPct)
      if (alloc !== null) judgements.push(alloc)
    }
    row.metrics = judgements.map(({ metric, thresholdPct, verdict }) => ({ metric, thresholdPct, verdict }))
    const verdict = combineVerdicts(judgements.map((j) => j.verdict))
    row.status = verdict
    const decisive = judgements.filter((j) => j.verdict === verdict)
    row.reason = `${(decisive.length > 0 ? decisive : judgements).map((j) => j.reason).join('; ')} (${formatQ(row.qValue)})`
  })
}

/** How many rows have each status. */
function countStatuses(rows: CaseComparison[]): StatusCounts {
  const counts: StatusCounts = {
    regressed: 0,
    improved: 0,
    unchanged: 0,
    inconclusive: 0,
    added: 0,
    removed: 0,
    not_run: 0,
    not_judged: 0,
    no_baseline: 0,
  }
  for (const row of rows) counts[row.status]++
  return counts
}

function figures(r: BenchRecord, sorted: Float64Array, processes: Float64Array[], run: Run): CaseFigures {
  const p50 = quantile(sorted, 0.5)
  return {
    n: sorted.length,
    p50Ms: p50,
    p95Ms: quantile(sorted, 0.95),
    itemsPerS: p50 > 0 ? (r.items_per_op * 1000) / p50 : r.throughput.items_per_s,
    rssPeakBytes: r.memory.rss_peak_bytes,
    gcMs: r.memory.gc_ms,
    allocBytesPerOp: r.memory.alloc_bytes_per_op ?? null,
    processAllocBytesPerOp: r.processes.map((p) => p.alloc_bytes_per_op ?? null),
    processes: processes.length,
    processP50Ms: processes.map((p) => quantile(p, 0.5)),
    otherCpuCores: r.host.other_cpu_cores,
    runId: run.id,
    machine: r.machine,
  }
}

function change(baseline: number | null | undefined, current: number | null | undefined): MetricChange {
  const b = baseline ?? null
  const c = current ?? null
  return { baseline: b, current: c, changePct: b !== null && c !== null && b !== 0 ? (c / b - 1) * 100 : null }
}

function summarize(run: Run): RunSummary {
  return {
    id: run.id,
    label: run.label,
    startedAt: run.startedAt,
    commit: run.commit,
    branch: run.branch,
    dirty: run.dirty,
    fingerprint: run.fingerprint,
    fingerprints: [...run.fingerprints],
    env: run.env,
    config: run.config,
    cases: run.records.length,
    machine: run.machine,
    busy: run.records.some((r) => isBusy(r.record)),
  }
}

function differences(
  a: Run,
  b: Run,
  rows: CaseComparison[],
  baseByKey: Map<string, BaselineChoice>,
  curByKey: Map<string, BenchRecord>,
): EnvDifference[] {
  const out: EnvDifference[] = []
  if (a.machine.id !== b.machine.id) out.push({ field: 'machine', baseline: a.machine.name, current: b.machine.name })
  for (const key of Object.keys(a.env) as (keyof Run['env'])[])
    if (a.env[key] !== b.env[key]) out.push({ field: `env.${key}`, baseline: a.env[key], current: b.env[key] })
  // Config is per case: report each differing field once, from the first compared case where it differs.
  const seen = new Set<string>()
  for (const row of rows) {
    if (!row.fingerprintMismatch) continue
    const key = caseKey(row)
    const x = baseByKey.get(key)!.record.config
    const y = curByKey.get(key)!.config
    for (const field of Object.keys(x) as (keyof Run['config'])[])
      if (x[field] !== y[field] && !seen.has(field)) {
        seen.add(field)
        out.push({ field: `config.${field}`, baseline: x[field], current: y[field] })
      }
  }
  return out
}

/** An adjusted p-value for text: `q=0.034`, or `q<1e-6`. */
function formatQ(q: number): string {
  return q < 1e-6 ? 'q<1e-6' : `q=${q.toPrecision(2)}`
}
