// Seeded synthetic result records for tests and the report's own benchmark (never used by the CLI).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { computeStats } from '@ttapi/bench'
import type { BenchRecord, EnvInfo, Profile } from '@ttapi/bench'
import { createRandom, normal } from './_random.ts'

/**
 * The noise model: samples = median x exp(sigma x Z) with Z standard normal (lognormal, the shape of
 * timing noise: positive, right-skewed), and with probability `outlierRate` a sample is further
 * multiplied by 1.3 to 2 (a GC pause or a descheduled core). `factor` shifts the whole distribution
 * (1.25 = every sample 25% slower, so p50 and p95 both move 25%).
 */
export interface NoiseModel {
  /** Median latency in ms. */
  medianMs: number
  /** Log-space standard deviation (0.05 is about a 5% coefficient of variation). */
  sigma: number
  /** Share of samples hit by an outlier. */
  outlierRate: number
  /** Multiplier applied to every sample. */
  factor: number
}

/** Realistic noise of a benchmark machine: lognormal with a 10% spread (sigma 0.1), no outliers. */
export const REALISTIC_NOISE: NoiseModel = { medianMs: 10, sigma: 0.1, outlierRate: 0, factor: 1 }

/** Noise with 2% outliers (x1.3-2): p95 intervals widen and verdicts turn inconclusive, never wrong. */
export const OUTLIER_NOISE: NoiseModel = { medianMs: 10, sigma: 0.05, outlierRate: 0.02, factor: 1 }

/** n samples from the noise model. */
export function syntheticSamples(random: () => number, n: number, model: NoiseModel): number[] {
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    let x = model.medianMs * model.factor * Math.exp(model.sigma * normal(random))
    if (random() < model.outlierRate) x *= 1.3 + 0.7 * random()
    out[i] = x
  }
  return out
}

/** The env of every synthetic run unless overridden. */
export const SYNTHETIC_ENV: EnvInfo = {
  os: 'linux',
  os_release: '6.8.0',
  arch: 'x64',
  cpu_model: 'AMD EPYC 7B13',
  cores: 2,
  mem_bytes: 24_000_000_000,
  node: '20.20.2',
  v8: '11.3.244.8-node.30',
  ci: false,
  glibc_tunables: 'glibc.malloc.hugetlb=1',
}

/** Run-level fields of a synthetic record. */
export interface SyntheticRun {
  id: string
  label: string
  startedAt: string
  commit: string | null
  fingerprint?: string
  env?: Partial<EnvInfo>
  /** Machine id (and name). @default 'synthetic-epyc' */
  machine?: string
  /** Profile of every case. @default 'quick' */
  profile?: Profile
  /** The run's `--filter`. @default null (every case) */
  filter?: string | null
  /** Packages the run planned. @default the record's own package */
  packages?: string[]
}

/** Case-level fields of a synthetic record. */
export interface SyntheticCase {
  package: string
  suite: string
  case: string
  samples: number[]
  itemsPerOp?: number
  rssPeakBytes?: number | null
  gcMs?: number | null
  /** Samples per process, in order (they must add up to `samples.length`). @default one process */
  processes?: number[]
  /** Other processes' CPU during the window, in cores. @default 0 */
  otherCpuCores?: number | null
  /** Each process's V8 heap bytes per op; absent, the record is a line written before allocations were measured. */
  allocBytesPerOp?: number[]
}

/** The median of a few numbers (the harness's `memory.alloc_bytes_per_op` over processes). */
function middle(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** One valid `ttapi.bench/v2` record. */
export function syntheticRecord(run: SyntheticRun, c: SyntheticCase): BenchRecord {
  const stats = computeStats(c.samples)
  const items = c.itemsPerOp ?? 1
  const profile = run.profile ?? 'quick'
  const machine = run.machine ?? 'synthetic-epyc'
  const sizes = c.processes ?? [c.samples.length]
  const window = { started_at: run.startedAt, finished_at: run.startedAt }
  const host = { other_cpu_cores: c.otherCpuCores === undefined ? 0 : c.otherCpuCores, load1: 0.1 }
  return {
    schema: 'ttapi.bench/v2',
    run: {
      id: run.id,
      label: run.label,
      started_at: run.startedAt,
      git: { commit: run.commit, branch: run.label, dirty: false },
      selection: {
        filter: run.filter ?? null,
        packages: run.packages ?? [c.package],
        profile,
        processes: sizes.length,
      },
    },
    machine: { id: machine, name: machine, source: 'env' },
    env: { ...SYNTHETIC_ENV, ...run.env },
    config: { engine: 'benny', warmup_ms: 500, measurement_ms: 2000, min_samples: 10, profile },
    fingerprint: run.fingerprint ?? '0123456789abcdef',
    window: { started_at: run.startedAt, finished_at: run.startedAt },
    package: c.package,
    suite: c.suite,
    case: c.case,
    unit: 'ops',
    items_per_op: items,
    bytes_per_op: null,
    samples_ms: c.samples,
    processes: sizes.map((n, i) => ({
      n,
      window,
      rss_peak_bytes: c.rssPeakBytes ?? null,
      host,
      ...(c.allocBytesPerOp ? { alloc_bytes_per_op: c.allocBytesPerOp[i] ?? null } : {}),
    })),
    host,
    stats,
    throughput: { items_per_s: (items * 1000) / stats.p50_ms, bytes_per_s: null },
    memory: {
      rss_peak_bytes: c.rssPeakBytes === undefined ? 100_000_000 : c.rssPeakBytes,
      heap_used_delta_bytes: 1_000_000,
      gc_count: 3,
      gc_ms: c.gcMs === undefined ? 2 : c.gcMs,
      ...(c.allocBytesPerOp ? { alloc_bytes_per_op: middle(c.allocBytesPerOp) } : {}),
    },
  }
}

/** Options of {@link writeSyntheticHistory}. */
export interface SyntheticHistoryOptions {
  /** Seed of every random draw. */
  seed: number
  /** Days of history, one file per day and label. */
  days: number
  /** Labels of the runs made each day (e.g. `['main', 'pr-1', 'pr-2']`). */
  labels: string[]
  /** Cases per run, spread over 4 packages. */
  cases: number
  /** Samples per case. */
  samples: number
  /** First day, `YYYY-MM-DD`. @default '2026-01-01' */
  start?: string
}

/** Writes `<date>_<label>.ndjson` files into `dir`; returns the number of records written. */
export function writeSyntheticHistory(dir: string, options: SyntheticHistoryOptions): number {
  mkdirSync(dir, { recursive: true })
  const random = createRandom(options.seed)
  const start = Date.parse(`${options.start ?? '2026-01-01'}T00:00:00Z`)
  const packages = ['@ttapi/analysis', '@ttapi/cache', '@ttapi/collector', '@ttapi/columnar-io']
  const medians = Array.from({ length: options.cases }, (_, i) => 0.05 * 1.07 ** (i % 100))
  let written = 0
  for (let d = 0; d < options.days; d++) {
    options.labels.forEach((label, l) => {
      const startedAt = new Date(start + d * 86_400_000 + l * 3_600_000).toISOString()
      const commit = hex(random, 40)
      const run: SyntheticRun = { id: `${startedAt.slice(0, 10)}-${label}-${hex(random, 6)}`, label, startedAt, commit }
      const lines: string[] = []
      for (let c = 0; c < options.cases; c++) {
        const samples = syntheticSamples(random, options.samples, { ...REALISTIC_NOISE, medianMs: medians[c]! })
        const record = syntheticRecord(run, {
          package: packages[c % packages.length]!,
          suite: `suite_${c % 7}`,
          case: `case_${c}`,
          samples,
        })
        lines.push(JSON.stringify(record))
        written++
      }
      writeFileSync(join(dir, `${startedAt.slice(0, 10)}_${label}.ndjson`), `${lines.join('\n')}\n`, { flag: 'a' })
    })
  }
  return written
}

function hex(random: () => number, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += ((random() * 16) | 0).toString(16)
  return s
}
