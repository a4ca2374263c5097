import type { ImportFormat } from './import-formats.ts'

/** What one operation of a case handles; also the unit of its throughput. */
export type Unit = 'symbols' | 'rows' | 'bytes' | 'ops'

/** `quick` (default) keeps every package's benches near 5 minutes in all; `full` is 3 s warm-up, 10 s measurement. */
export type Profile = 'quick' | 'full'

/** Passed to a case's `setup`, so a case can size its data set by profile. */
export interface CaseContext {
  /** The profile this run uses. */
  profile: Profile
  /** Absolute path of the workspace root (the folder holding `pnpm-workspace.yaml`). */
  workspaceRoot: string
  /** A scratch directory private to this case, removed after teardown. */
  tmpDir: string
}

/**
 * One benchmark case. `setup` runs once, outside the timing; `fn` is the timed operation (sync or async);
 * `teardown` runs once at the end. `itemsPerOp` / `bytesPerOp` may depend on what `setup` built.
 */
export interface BenchCase<S = unknown> {
  /** Case name, `[a-z0-9_]+`, unique in its suite. */
  name: string
  /** Unit of `itemsPerOp` and of throughput. */
  unit: Unit
  /** Units one call of `fn` handles (e.g. 503 symbols); a function of the setup state when it depends on it. */
  itemsPerOp: number | ((state: S, ctx: CaseContext) => number)
  /** Input bytes one call of `fn` reads, or null. @default null */
  bytesPerOp?: number | null | ((state: S, ctx: CaseContext) => number | null)
  /** Builds the state `fn` uses; runs once per case, never timed. */
  setup?: (ctx: CaseContext) => S | Promise<S>
  /** The timed operation. */
  fn: (state: S) => unknown
  /** Releases what `setup` built; runs once, never timed. */
  teardown?: (state: S) => void | Promise<void>
  /** At least this many samples where time allows (slow cases lower it). @default from the profile */
  minSamples?: number
  /** Upper bound on measurement time for this case in ms (slow cases use it to stay inside the profile). */
  maxTimeMs?: number
  /** The profiles that run this case (a case whose data only the full profile can afford). @default every profile */
  profiles?: Profile[]
}

/** A suite: the cases of one `bench/*.bench.ts` file. Its default export. */
export interface SuiteDefinition {
  /** Suite name, `[a-z0-9_]+` (e.g. `symbol_collection`). */
  suite: string
  /** Package name; defaults to the `name` in the nearest package.json. */
  package?: string
  /** The cases, run in this order, each in its own child process. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cases: BenchCase<any>[]
}

/** Git facts of the run; null where unknown. */
export interface GitInfo {
  commit: string | null
  branch: string | null
  dirty: boolean | null
}

/** Machine facts; `fingerprint` hashes these (and the config). */
export interface EnvInfo {
  os: string | null
  os_release: string | null
  arch: string | null
  cpu_model: string | null
  cores: number | null
  mem_bytes: number | null
  node: string | null
  v8: string | null
  ci: boolean | null
  glibc_tunables: string | null
}

/** Measurement settings of the run. */
export interface RunConfig {
  /** `benny` for the harness's own records; the format's name for an imported one (see {@link ImportedInfo}). */
  engine: 'benny' | ImportFormat
  warmup_ms: number
  measurement_ms: number
  min_samples: number
  profile: Profile
}

/** Summary statistics over `samples_ms`; quantiles by linear interpolation (DuckDB `quantile_cont`). */
export interface SampleStats {
  n: number
  mean_ms: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  min_ms: number
  max_ms: number
  sd_ms: number
  rme_pct: number
}

/** The machine a record was measured on: only records of one machine are judged against each other. */
export interface MachineInfo {
  /** Stable id: `BENCH_MACHINE` when set, else `hw-` and 12 hex chars of SHA-256 over os, arch, CPU model, cores and memory in GiB. */
  id: string
  /** Readable name: `BENCH_MACHINE`, or e.g. `AMD EPYC ×2, 24 GiB, linux x64`. */
  name: string
  /** `env` when `BENCH_MACHINE` named it, `hardware` when derived from the machine's facts. */
  source: 'env' | 'hardware'
}

/** What one invocation of the harness selected: a case outside it is "not run", never "removed". */
export interface RunSelection {
  /** The `--filter` regular expression, or null for every case. */
  filter: string | null
  /** Packages whose bench files this invocation planned (a turbo run has one invocation per package). */
  packages: string[]
  /** Profile of the invocation. */
  profile: Profile
  /** Fresh processes each case was measured in (`--processes`). */
  processes: number
}

/** How busy the rest of the machine was while a case was measured. */
export interface HostLoad {
  /** CPU time of other processes (and the hypervisor's steal) during the window, in cores (0.5 = half a core), or null where /proc/stat is absent. */
  other_cpu_cores: number | null
  /** The 1-minute load average at the window's end, or null. */
  load1: number | null
}

/** One fresh process of a case: its slice of `samples_ms` and what it saw. */
export interface ProcessRecord {
  /** Samples this process contributed (in order; `samples_ms` holds the processes one after another). */
  n: number
  /** Warm-up start to measurement end of this process. */
  window: { started_at: string; finished_at: string }
  /** Peak RSS of this process, or null. */
  rss_peak_bytes: number | null
  /** The machine's load during this process's window. */
  host: HostLoad
  /** V8 heap bytes this process's op allocated per call; absent in lines written before it was measured, null when turned off. */
  alloc_bytes_per_op?: number | null
}

/**
 * One line of `benchmarks/<YYYY-MM-DD>_<label>.ndjson`: the contract between harness and report
 * (documented in packages/bench/README.md, "The record"). v2 adds `machine`, `run.selection`,
 * `processes` and `host` to v1; v1 lines still read (see `upgradeRecord`).
 */
export interface BenchRecord {
  schema: 'ttapi.bench/v2'
  run: { id: string; label: string; started_at: string; git: GitInfo; selection: RunSelection }
  machine: MachineInfo
  env: EnvInfo
  config: RunConfig
  fingerprint: string
  window: { started_at: string; finished_at: string }
  package: string
  suite: string
  case: string
  unit: Unit
  items_per_op: number
  bytes_per_op: number | null
  /** Every sample of every process, process after process, each in measured order. */
  samples_ms: number[]
  /** The processes, in the order they ran; their `n` add up to `samples_ms.length`. */
  processes: ProcessRecord[]
  /** The busiest process's host load (the case is judged by its worst window). */
  host: HostLoad
  stats: SampleStats
  throughput: { items_per_s: number; bytes_per_s: number | null }
  memory: {
    rss_peak_bytes: number | null
    heap_used_delta_bytes: number | null
    gc_count: number | null
    gc_ms: number | null
    /** V8 heap bytes allocated per op, the median of the processes'; absent in lines written before it was measured (read as null). */
    alloc_bytes_per_op?: number | null
  }
  /** Present only on a record `report import` made from another tool's output. */
  imported?: ImportedInfo
}

/**
 * Where an imported record came from and what the tool measured: `raw` when `samples_ms` are the
 * tool's own samples (ms per op), `summary` when the tool kept only statistics — then `samples_ms`
 * holds one value, the tool's mean, and `summary` its statistics (the report judges such a record by
 * its mean and says so).
 */
export interface ImportedInfo {
  /** The `--from` format. */
  format: ImportFormat
  /** The tool and its version where the file names them (`pytest-benchmark 3.2.2`), else null. */
  tool: string | null
  /** The imported file's name (no folder). */
  file: string
  /** The benchmark's name as the tool wrote it, before it was made a `[a-z0-9_]+` case name. */
  name: string
  /** `raw`: `samples_ms` are the tool's samples; `summary`: only its statistics were kept. */
  samples: 'raw' | 'summary'
  /** The tool's statistics when `samples` is `summary` (null where it gave none), else null. */
  summary: ImportedSummary | null
}

/** The statistics a tool reported when it kept no samples; null fields it did not report. */
export interface ImportedSummary {
  /** Samples (or rounds) the statistics cover, or null when the tool does not say. */
  n: number | null
  /** Mean ms per op. */
  mean_ms: number
  /** Sample standard deviation, ms, or null. */
  sd_ms: number | null
  /** Relative margin of error at 95% in percent (benchmark.js `rme`), or null. */
  rme_pct: number | null
}

/** A v1 line (`ttapi.bench/v1`, before machines, selections and processes); read, never written. */
export type BenchRecordV1 = Omit<BenchRecord, 'schema' | 'run' | 'machine' | 'processes' | 'host'> & {
  schema: 'ttapi.bench/v1'
  run: { id: string; label: string; started_at: string; git: GitInfo }
}

/** Options of `runBenchmarks` (what the CLI's `run` command passes). */
export interface RunBenchmarksOptions {
  /** Folder the run starts from: its package's benches run, or the workspace above it with `all`. */
  cwd: string
  /** Run every `packages/*` and `apps/*` bench file of the workspace. @default false */
  all?: boolean
  /** Regular expression matched against `suite/case`; only matching cases run. */
  filter?: string
  /** Profile. @default 'quick' */
  profile?: Profile
  /** Label of the result file (sanitised to `[a-z0-9._-]`). @default the git branch, else `local` */
  label?: string
  /** Write one `.cpuprofile` per case under `benchmarks/profiles/` and print its top functions. @default false */
  cpuProf?: boolean
  /** Environment (profile overrides, BENCH_INJECT, GLIBC_TUNABLES, CI). @default process.env */
  env?: NodeJS.ProcessEnv
  /** Where progress and tables go. @default process.stdout.write */
  write?: (text: string) => void
  /** Show a live progress line per case (TTY). @default stdout is a TTY and CI is unset */
  live?: boolean
  /** Fresh processes per case, interleaved across cases (round 1 of every case, then round 2, …). @default `BENCH_PROCESSES`, else the profile's */
  processes?: number
}

/** A case that failed: no record was written for it. */
export interface FailedCase {
  /** Package name. */
  package: string
  /** Suite name (or the bench file when it could not be loaded). */
  suite: string
  /** Case name (`*` when the whole file failed to load). */
  case: string
  /** The error message. */
  error: string
}

/** What `runBenchmarks` did. */
export interface RunBenchmarksResult {
  /** The run's id (in every record's `run.id`). */
  runId: string
  /** The sanitised label. */
  label: string
  /** Absolute path of the `.ndjson` file appended to. */
  file: string
  /** Workspace root. */
  workspaceRoot: string
  /** Records appended, in run order. */
  records: BenchRecord[]
  /** Cases that failed. */
  failed: FailedCase[]
}
