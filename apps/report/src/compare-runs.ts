import { quantile } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import { benjaminiHochberg } from './benjamini-hochberg.ts'
import { bootstrapRatios } from './bootstrap.ts'
import { DEFAULT_CONFIG, thresholdsFor } from './config.ts'
import { caseKey } from './load-history.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import { seedFor } from './_random.ts'
import { combineVerdicts, judgeMetric } from './verdict.ts'
import type {
  CaseComparison,
  CaseFigures,
  CaseStatus,
  CompareOptions,
  Comparison,
  EnvDifference,
  GateMetric,
  MetricChange,
  MetricJudgement,
  ReportConfig,
  Run,
  RunSummary,
  StatusCounts,
} from './types.ts'

/**
 * Compares two runs case by case: p50, p95, throughput, peak RSS and GC time with their changes;
 * bootstrap 95% intervals of the p50 and p95 ratios; a Mann-Whitney U p-value per case,
 * Benjamini-Hochberg adjusted across the compared cases; and a verdict per case (see {@link judgeMetric}).
 * With `baseline` null, every case of the current run is listed with status `no_baseline`.
 * @param baseline - the baseline run, or null.
 * @param current - the current run.
 * @example compareRuns(selection.baseline, selection.current, { config: loadConfig(root) })
 */
export function compareRuns(baseline: Run | null, current: Run, options: CompareOptions = {}): Comparison {
  const config: ReportConfig = { ...DEFAULT_CONFIG, ...options.config }
  const currentByKey = new Map(current.records.map((r) => [caseKey(r.record), r.record]))
  const baselineByKey = new Map((baseline?.records ?? []).map((r) => [caseKey(r.record), r.record]))
  const keys = [...new Set([...baselineByKey.keys(), ...currentByKey.keys()])].sort()

  interface Pending {
    row: CaseComparison
    base: Float64Array
    cur: Float64Array
  }
  const rows: CaseComparison[] = []
  const pending: Pending[] = []
  for (const key of keys) {
    const b = baselineByKey.get(key)
    const c = currentByKey.get(key)
    const ref = (c ?? b)!
    const bs = b ? sortedSamples(b) : null
    const cs = c ? sortedSamples(c) : null
    const bf = b && bs ? figures(b, bs) : null
    const cf = c && cs ? figures(c, cs) : null
    const status: CaseStatus = baseline === null ? 'no_baseline' : !b ? 'added' : !c ? 'removed' : 'inconclusive'
    const row: CaseComparison = {
      package: ref.package,
      suite: ref.suite,
      case: ref.case,
      unit: ref.unit,
      status,
      reason:
        status === 'no_baseline'
          ? 'no baseline run'
          : status === 'added'
            ? 'only in the current run'
            : status === 'removed'
              ? 'only in the baseline run'
              : '',
      baseline: bf,
      current: cf,
      p50: change(bf?.p50Ms, cf?.p50Ms),
      p95: change(bf?.p95Ms, cf?.p95Ms),
      throughput: change(bf?.itemsPerS, cf?.itemsPerS),
      rssPeak: change(bf?.rssPeakBytes, cf?.rssPeakBytes),
      gcMs: change(bf?.gcMs, cf?.gcMs),
      intervals: null,
      pValue: null,
      qValue: null,
      metrics: [],
      fingerprintMismatch: b !== undefined && c !== undefined && b.fingerprint !== c.fingerprint,
    }
    rows.push(row)
    if (b && c && bs && cs && baseline !== null) {
      row.pValue = mannWhitneyU(bs, cs).pValue
      const [p50, p95] = bootstrapRatios(bs, cs, {
        resamples: config.resamples,
        seed: seedFor(config.seed, key),
        probs: [0.5, 0.95],
      })
      row.intervals = { p50: p50!, p95: p95! }
      pending.push({ row, base: bs, cur: cs })
    }
  }

  const q = benjaminiHochberg(pending.map((p) => p.row.pValue!))
  pending.forEach(({ row, base, cur }, i) => {
    row.qValue = q[i]!
    const thresholds = thresholdsFor(config, row.package)
    const judgements: MetricJudgement[] = []
    for (const metric of ['p50', 'p95'] as GateMetric[]) {
      const t = thresholds[metric]
      if (t === null) continue
      judgements.push(
        judgeMetric({
          metric,
          interval: row.intervals![metric],
          thresholdPct: t,
          significant: row.qValue <= config.alpha,
          n: { baseline: base.length, current: cur.length },
        }),
      )
    }
    row.metrics = judgements.map(({ metric, thresholdPct, verdict }) => ({ metric, thresholdPct, verdict }))
    const verdict = combineVerdicts(judgements.map((j) => j.verdict))
    row.status = verdict
    const decisive = judgements.filter((j) => j.verdict === verdict)
    row.reason = `${(decisive.length > 0 ? decisive : judgements).map((j) => j.reason).join('; ')} (${formatQ(row.qValue)})`
  })

  const counts: StatusCounts = {
    regressed: 0,
    improved: 0,
    unchanged: 0,
    inconclusive: 0,
    added: 0,
    removed: 0,
    no_baseline: 0,
  }
  for (const row of rows) counts[row.status]++
  const envDifferences = baseline ? differences(baseline, current, rows, baselineByKey, currentByKey) : []
  return {
    baseline: baseline ? summarize(baseline) : null,
    current: summarize(current),
    cases: rows,
    counts,
    fingerprintMismatch: rows.some((r) => r.fingerprintMismatch),
    envDifferences,
    settings: {
      alpha: config.alpha,
      resamples: config.resamples,
      seed: config.seed,
      thresholds: { ...config.thresholds },
    },
  }
}

function sortedSamples(r: BenchRecord): Float64Array {
  return Float64Array.from(r.samples_ms).sort()
}

function figures(r: BenchRecord, sorted: Float64Array): CaseFigures {
  const p50 = quantile(sorted, 0.5)
  return {
    n: sorted.length,
    p50Ms: p50,
    p95Ms: quantile(sorted, 0.95),
    itemsPerS: p50 > 0 ? (r.items_per_op * 1000) / p50 : r.throughput.items_per_s,
    rssPeakBytes: r.memory.rss_peak_bytes,
    gcMs: r.memory.gc_ms,
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
  }
}

function differences(
  a: Run,
  b: Run,
  rows: CaseComparison[],
  baseByKey: Map<string, BenchRecord>,
  curByKey: Map<string, BenchRecord>,
): EnvDifference[] {
  const out: EnvDifference[] = []
  for (const key of Object.keys(a.env) as (keyof Run['env'])[])
    if (a.env[key] !== b.env[key]) out.push({ field: `env.${key}`, baseline: a.env[key], current: b.env[key] })
  // Config is per case: report each differing field once, from the first compared case where it differs.
  const seen = new Set<string>()
  for (const row of rows) {
    if (!row.fingerprintMismatch) continue
    const key = caseKey(row)
    const x = baseByKey.get(key)!.config
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
