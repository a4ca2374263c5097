import type { BenchRecord, EnvInfo, MachineInfo, RunConfig, RunSelection as HarnessSelection, Unit } from '@ttapi/bench'

/** A history line that was excluded: where it is and what was wrong with it. */
export interface BadLine {
  /** File name inside the history directory (e.g. `2026-11-26_main.ndjson`). */
  file: string
  /** 1-based line number in that file. */
  line: number
  /** What was wrong, e.g. `samples_ms[3] is -1, expected a finite number >= 0`. */
  reason: string
  /** Runs that lost a record on this line (the ids a torn line names, or the run around it); absent when unknown. */
  runs?: string[]
}

/** One validated record and where it came from. */
export interface HistoryRecord {
  /** The record as the harness wrote it. */
  record: BenchRecord
  /** File name inside the history directory. */
  file: string
  /** 1-based line number in that file. */
  line: number
}

/** A run: every record sharing one `run.id`, with the metadata they share. */
export interface Run {
  /** `run.id` */
  id: string
  /** `run.label` (e.g. `main`, `scratch`, a branch). */
  label: string
  /** `run.started_at`, ISO-8601 UTC. */
  startedAt: string
  /** UTC date of `startedAt`, `YYYY-MM-DD`. */
  date: string
  /** `run.git.commit`, or null. */
  commit: string | null
  /** `run.git.branch`, or null. */
  branch: string | null
  /** `run.git.dirty`, or null. */
  dirty: boolean | null
  /** The fingerprint (hash of env + config) most of the run's records carry. */
  fingerprint: string
  /** Every distinct fingerprint of the run's records, sorted: a case with its own `minSamples` / `maxTimeMs` has its own config, hence its own fingerprint. */
  fingerprints: string[]
  /** The machine the run measured on (the same on every record of a run). */
  machine: MachineInfo
  /** What the run's invocations selected (one per invocation: a turbo run has one per package). */
  selections: HarnessSelection[]
  /** False for a v1 run: v1 did not record its selection, so each record stands for itself. */
  selectionKnown: boolean
  /** Machine facts of the run (the same on every record of a run). */
  env: EnvInfo
  /** Measurement settings of the run's first record (the profile is run-wide; cases may lower the rest). */
  config: RunConfig
  /** Files holding the run's records, sorted. */
  files: string[]
  /** The run's records, sorted by package, suite, case. */
  records: HistoryRecord[]
}

/** Everything read from a history directory. */
export interface History {
  /** Absolute path of the directory read. */
  dir: string
  /** `*.ndjson` file names read, sorted. */
  files: string[]
  /** Valid records read (sum over runs). */
  recordCount: number
  /** Runs, oldest first (by `startedAt`, then id). */
  runs: Run[]
  /** Lines excluded, in file then line order. */
  badLines: BadLine[]
}

/** Options of {@link loadHistory}. */
export interface LoadHistoryOptions {
  /** Throw a `HistoryError` (code `REPORT_BAD_LINE`) on the first bad line instead of excluding it. @default false */
  strict?: boolean
  /** Read only these lines (file name → 1-based line numbers), e.g. the compared runs' records from the run index. @default every line of every file */
  lines?: ReadonlyMap<string, ReadonlySet<number>>
}

/** Which runs to compare; each selector is a label, a date, a file name, a commit (full or short) or a run id. */
export interface SelectRunsOptions {
  /** Baseline selector. @default the newest run labelled `baselineLabel` older than the current run */
  baseline?: string
  /** Current-run selector. @default the newest run */
  current?: string
  /** Label of the default baseline. @default 'main' */
  baselineLabel?: string
}

/** A baseline record of one case and the run it belongs to. */
export interface BaselineChoice extends HistoryRecord {
  /** The run holding the record. */
  run: Run
}

/** The runs {@link selectRuns} picked. */
export interface RunSelection {
  /** The baseline run (the newest run a default baseline came from, or the run `--baseline` named), or null when none qualifies. */
  baseline: Run | null
  /** The current run. */
  current: Run
  /** Per case key (`package/suite/case`), its baseline record: by default the newest comparable record labelled `main`, each case on its own. */
  baselines: Map<string, BaselineChoice>
  /** `default` (comparable records, case by case) or `explicit` (`--baseline` named a run). */
  mode: 'default' | 'explicit'
  /** When no case of the current run has a comparable baseline: one line saying what the history holds and how to record one. */
  noComparable: string | null
}

/** A metric the gate can judge from the raw samples. */
export type GateMetric = TimeMetric | 'alloc'

/** The latency quantiles the gate judges by bootstrap intervals. */
export type TimeMetric = 'p50' | 'p95'

/** Gate thresholds in percent per metric; `null` (or an absent `alloc`) means the metric is not gated. */
export type Thresholds = Record<TimeMetric, number | null> & {
  /** V8 heap bytes allocated per op (judged on the processes' range, see `judgeAllocation`). @default null */
  alloc?: number | null
}

/** The report's settings, from `ttapi.report.json` at the workspace root (all optional there). */
export interface ReportConfig {
  /** Gate thresholds in percent (10 = a 10% slower p95 can regress; `alloc`: V8 heap bytes per op). @default { p50: null, p95: 10, alloc: null } */
  thresholds: Thresholds
  /** Per-package overrides of `thresholds`, keyed by package name; unnamed metrics keep the global value. */
  packages: Record<string, { thresholds: Partial<Thresholds> }>
  /** False-discovery rate for Benjamini-Hochberg. @default 0.05 */
  alpha: number
  /** Bootstrap resamples per case (at least 2,000). @default 2000 */
  resamples: number
  /** Seed of the bootstrap; with the same samples the same seed gives the same intervals. @default 1 */
  seed: number
  /** Label of the default baseline. @default 'main' */
  baselineLabel: string
  /** Interleaved rounds per side of `report compare` (set from `report calibrate` on the CI machine). @default 5 */
  compareRounds: number
}

/** Verdict of one case: see README "Verdict rules". */
export type Verdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive'

/** Status of one row of a comparison: a verdict, or why there is none. */
export type CaseStatus = Verdict | 'added' | 'removed' | 'not_run' | 'not_judged' | 'no_baseline'

/** Why a case with figures on both sides was not judged. */
export type NotJudgedWhy = 'other_machine' | 'other_config' | 'busy'

/** The per-side figures of one case. */
export interface CaseFigures {
  /** Samples kept. */
  n: number
  /** Median latency, ms per operation (quantile_cont 0.5 of the samples). */
  p50Ms: number
  /** 95th percentile latency, ms per operation. */
  p95Ms: number
  /** Units per second from p50. */
  itemsPerS: number
  /** Peak RSS of the case's process, or null. */
  rssPeakBytes: number | null
  /** Time spent in GC, or null. */
  gcMs: number | null
  /** V8 heap bytes allocated per op (the processes' median), or null where not measured. */
  allocBytesPerOp: number | null
  /** Each process's bytes per op, in the order they ran (null where not measured). */
  processAllocBytesPerOp: (number | null)[]
  /** Fresh processes the samples came from. */
  processes: number
  /** Each process's median, ms, in the order they ran. */
  processP50Ms: number[]
  /** Other processes' CPU during the busiest process's window, in cores, or null when not measured. */
  otherCpuCores: number | null
  /** Run id the figures come from. */
  runId: string
  /** Machine the figures come from. */
  machine: MachineInfo
}

/** A case whose processes disagree beyond their own noise. */
export interface Instability {
  /** The side whose processes disagree (the worse one when both do). */
  side: 'baseline' | 'current'
  /** Slowest over fastest per-process median. */
  spread: number
  /** Processes on that side. */
  processes: number
}

/** One metric, both sides, and its change. */
export interface MetricChange {
  /** Baseline value, or null. */
  baseline: number | null
  /** Current value, or null. */
  current: number | null
  /** (current / baseline - 1) x 100, or null when either side is missing or the baseline is 0. */
  changePct: number | null
}

/** A ratio current / baseline of one statistic with its bootstrap 95% interval. */
export interface RatioInterval {
  /** Point estimate from the samples. */
  ratio: number
  /** 2.5th percentile of the bootstrap ratios. */
  low: number
  /** 97.5th percentile of the bootstrap ratios. */
  high: number
}

/** The gate's judgement of one metric of one case. */
export interface MetricVerdict {
  /** The metric judged. */
  metric: GateMetric
  /** Threshold in percent that applied. */
  thresholdPct: number
  /** Verdict on this metric alone. */
  verdict: Verdict
}

/** One row of a comparison. */
export interface CaseComparison {
  /** Package name. */
  package: string
  /** Suite name. */
  suite: string
  /** Case name. */
  case: string
  /** Unit of throughput. */
  unit: Unit
  /** Verdict, or `added` / `removed` / `not_run` (outside the current run's selection) / `not_judged` / `no_baseline`. */
  status: CaseStatus
  /** For `not_judged`: other machine, other configuration, or a busy machine. */
  notJudged: NotJudgedWhy | null
  /** Processes that disagree beyond their own noise (either side), or null. */
  unstable: Instability | null
  /** True when either side has one process: the interval then holds within-process noise only. */
  withinProcessOnly: boolean
  /** Why the status, and for `inconclusive` what would settle it. */
  reason: string
  /** Baseline figures, or null. */
  baseline: CaseFigures | null
  /** Current figures, or null. */
  current: CaseFigures | null
  /** Median latency change (lower is better). */
  p50: MetricChange
  /** 95th percentile latency change (lower is better). */
  p95: MetricChange
  /** Throughput change (higher is better). */
  throughput: MetricChange
  /** Peak RSS change (lower is better). */
  rssPeak: MetricChange
  /** GC time change (lower is better). */
  gcMs: MetricChange
  /** Allocations per op change (lower is better). */
  alloc: MetricChange
  /** Bootstrap intervals of the p50 and p95 ratios; null without both sides. */
  intervals: { p50: RatioInterval; p95: RatioInterval } | null
  /** Two-sided p-value: Mann-Whitney U of the samples with one process a side, else the hierarchical bootstrap's; null without both sides. */
  pValue: number | null
  /** Benjamini-Hochberg adjusted p-value across the compared cases; null without both sides. */
  qValue: number | null
  /** Per gated metric verdicts; empty without both sides. */
  metrics: MetricVerdict[]
  /** Whether the two sides' records carry different fingerprints (different machine, runtime or settings). */
  fingerprintMismatch: boolean
}

/** Run facts a comparison prints. */
export interface RunSummary {
  /** `run.id` */
  id: string
  /** `run.label` */
  label: string
  /** `run.started_at` */
  startedAt: string
  /** Commit, or null. */
  commit: string | null
  /** Branch, or null. */
  branch: string | null
  /** Whether the tree was dirty, or null. */
  dirty: boolean | null
  /** The fingerprint most of the run's records carry. */
  fingerprint: string
  /** Every distinct fingerprint of the run's records. */
  fingerprints: string[]
  /** Machine facts. */
  env: EnvInfo
  /** Measurement settings. */
  config: RunConfig
  /** Number of cases. */
  cases: number
  /** The machine. */
  machine: MachineInfo
  /** Whether any record of the run was measured while other processes took more than `BUSY_OTHER_CPU_CORES`. */
  busy: boolean
}

/** One field of env or config that differs between the two runs. */
export interface EnvDifference {
  /** Dotted field, e.g. `env.cpu_model`, `config.profile`. */
  field: string
  /** Baseline value. */
  baseline: string | number | boolean | null
  /** Current value. */
  current: string | number | boolean | null
}

/** Counts of rows by status. */
export type StatusCounts = Record<CaseStatus, number>

/** Baseline vs current: what every output format renders. */
export interface Comparison {
  /** The baseline run (the newest one any case's baseline came from), or null when none exists (then every row is `no_baseline`). */
  baseline: RunSummary | null
  /** Every run a case's baseline came from, newest first. */
  baselineRuns: RunSummary[]
  /** One line when no case had a comparable baseline (what the history holds, how to record one), else null. */
  noComparable: string | null
  /** The current run. */
  current: RunSummary
  /** Rows sorted by package, suite, case; compared, added and removed alike. */
  cases: CaseComparison[]
  /** Rows by status. */
  counts: StatusCounts
  /** Whether any compared case's fingerprints differ (then every output carries a warning). */
  fingerprintMismatch: boolean
  /** Env fields that differ between the runs, and config fields that differ for a compared case. */
  envDifferences: EnvDifference[]
  /** Settings the verdicts used. */
  settings: { alpha: number; resamples: number; seed: number; thresholds: Thresholds }
}

/** Options of {@link compareRuns}. */
export interface CompareOptions {
  /** Settings; missing fields take the defaults of {@link ReportConfig}. */
  config?: Partial<ReportConfig>
  /** Per-case baseline records (from {@link selectRuns}); without it, the baseline run's own records. */
  baselines?: Map<string, BaselineChoice>
  /** The line to print when nothing had a comparable baseline. @default null */
  noComparable?: string | null
  /** Judge cases whose sides ran on different machines (`--cross-machine`). @default false */
  crossMachine?: boolean
  /** Judge cases measured while the machine was busy (`--judge-busy`). @default false */
  judgeBusy?: boolean
}

/** What the renderers need besides the comparison: where the data came from. */
export interface ReportContext {
  /** History directory read. */
  historyDir: string
  /** Files read. */
  files: number
  /** Valid records read. */
  records: number
  /** Lines excluded. */
  badLines: BadLine[]
  /** When the report was made, ISO-8601 UTC. @default now */
  generatedAt?: string
}

/** The `--format json` document: the comparison plus the texts the other formats print. */
export interface JsonReport extends Comparison {
  /** Document schema id. */
  schema: 'ttapi.report/v2'
  /** When the report was made, ISO-8601 UTC. */
  generatedAt: string
  /** Where the data came from. */
  history: { dir: string; files: number; records: number; badLines: BadLine[] }
  /** Loud warnings (environment mismatch). */
  warnings: string[]
  /** The Summary bullets. */
  summary: string[]
  /** The Notes. */
  notes: string[]
}

/** Options of {@link bootstrapRatios}. */
export interface BootstrapOptions {
  /** Resamples drawn (each side resampled independently). @default 2000 */
  resamples?: number
  /** Seed of the resampling. @default 1 */
  seed?: number
  /** Quantile probabilities to estimate. @default [0.5, 0.95] */
  probs?: readonly number[]
  /** Two-sided confidence level. @default 0.95 */
  level?: number
}

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U statistic of the first sample (pairs where a > b, ties count 1/2). */
  u: number
  /** Two-sided p-value. */
  pValue: number
  /** `exact` (small samples without ties) or `normal` (normal approximation with tie and continuity corrections). */
  method: 'exact' | 'normal'
}

/** One run's figures for one case. */
export interface CaseHistoryPoint {
  /** Run id. */
  runId: string
  /** Run start, ISO-8601 UTC. */
  startedAt: string
  /** Run label. */
  label: string
  /** Commit, or null. */
  commit: string | null
  /** Fingerprint of the run's environment. */
  fingerprint: string
  /** Samples kept. */
  n: number
  /** Median latency, ms. */
  p50Ms: number
  /** 95th percentile latency, ms. */
  p95Ms: number
  /** Units per second from p50. */
  itemsPerS: number
  /** Peak RSS, or null. */
  rssPeakBytes: number | null
}

/** One case across every run that measured it, oldest first. */
export interface CaseHistory {
  /** `package/suite/case` */
  key: string
  /** Unit of throughput. */
  unit: string
  /** One point per run. */
  points: CaseHistoryPoint[]
}

/** Options of {@link renderTerminal}. */
export interface TerminalOptions {
  /** Colour the verdicts with ANSI escapes. @default false */
  color?: boolean
  /** Width to fit, in columns (`process.stdout.columns` on a terminal). @default 100 */
  columns?: number
  /** Every column and every row, whatever the width (`--wide`). @default false */
  wide?: boolean
}

/** Inputs of {@link judgeMetric}. */
export interface JudgeInput {
  /** The metric judged (for the reason text). */
  metric: GateMetric
  /** Ratio current / baseline with its bootstrap interval (time: above 1 is slower). */
  interval: RatioInterval
  /** Threshold in percent: a ratio beyond 1 + t/100 can regress, below 1 / (1 + t/100) can improve. */
  thresholdPct: number
  /** Whether the Benjamini-Hochberg adjusted p-value is within alpha. */
  significant: boolean
  /** Baseline and current sample counts. */
  n: { baseline: number; current: number }
  /** Baseline and current process counts (the unit of evidence). @default one each */
  processes?: { baseline: number; current: number }
}

/** One metric's verdict and the sentence explaining it. */
export interface MetricJudgement extends MetricVerdict {
  /** Why, and for `inconclusive` what would settle it. */
  reason: string
}
