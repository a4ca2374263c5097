import { basename, join } from 'node:path'
import {
  appendRecord,
  captureEnv,
  computeStats,
  fingerprint,
  IMPORT_FORMATS,
  machineOf,
  makeRunId,
  resultFileName,
  sanitizeLabel,
  validateRecord,
} from '@ttapi/bench'
import type { BenchRecord, EnvInfo, ImportFormat, MachineInfo, RunConfig } from '@ttapi/bench'
import { ImportError, UsageError } from '../errors.ts'
import { readBenchmarkJs } from './benchmark-js.ts'
import { readCriterion } from './criterion.ts'
import { readGoTest } from './go-test.ts'
import { readGoogleBenchmark } from './google-benchmark.ts'
import { readHyperfine } from './hyperfine.ts'
import { readMitata } from './mitata.ts'
import { readPytestBenchmark } from './pytest-benchmark.ts'
import { readTinybench } from './tinybench.ts'
import { readVitestBench } from './vitest-bench.ts'
import type { FormatReader, ParsedCase } from './parsed-file.ts'

/** `--from` name → reader; `benny` is an alias of `benchmarkjs` (one reader reads both files). */
export const FORMAT_READERS: Record<ImportFormat, FormatReader> = {
  vitest: readVitestBench,
  tinybench: readTinybench,
  mitata: readMitata,
  benchmarkjs: readBenchmarkJs,
  hyperfine: readHyperfine,
  'google-benchmark': readGoogleBenchmark,
  'pytest-benchmark': readPytestBenchmark,
  go: readGoTest,
  criterion: readCriterion,
}

/** Other names `--from` accepts. */
const ALIASES: Record<string, ImportFormat> = {
  benny: 'benchmarkjs',
  'benchmark.js': 'benchmarkjs',
  gbench: 'google-benchmark',
}

/** Options of {@link importResults}. */
export interface ImportResultsOptions {
  /** The tool's format (`--from`): one of IMPORT_FORMATS or an alias (`benny`, `benchmark.js`, `gbench`). */
  from: string
  /** The tool's output file (for criterion, its `target/criterion` folder). */
  file: string
  /** History folder the dated file is appended to. */
  historyDir: string
  /** Package of the records. @default the format's name */
  package?: string
  /** Machine the tool ran on (readable name; the id is it sanitised). @default this machine, as the harness names it */
  machine?: string
  /** Run label (sanitised to `[a-z0-9._-]`). @default `import-<format>` */
  label?: string
  /** When the run is dated. @default now */
  now?: Date
}

/** What {@link importResults} appended. */
export interface ImportResultsResult {
  /** The canonical format name. */
  format: ImportFormat
  /** The tool as the file names it. */
  tool: string | null
  /** The dated `.ndjson` file appended to. */
  file: string
  /** The records, in the tool's order. */
  records: BenchRecord[]
}

/** `--from` as a canonical format, or a usage error listing the formats. */
export function importFormat(from: string): ImportFormat {
  const name = ALIASES[from] ?? from
  if (!(IMPORT_FORMATS as readonly string[]).includes(name))
    throw new UsageError(
      `report import: expected --from to be one of ${[...IMPORT_FORMATS, ...Object.keys(ALIASES)].join(', ')}, got ${JSON.stringify(from)}`,
    )
  return name as ImportFormat
}

/** A tool's name as a `[a-z0-9_]+` suite or case name. */
export function caseName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return s === '' ? 'unnamed' : s
}

/**
 * Reads another harness's output and appends it to `<historyDir>/<date>_<label>.ndjson` as one run of
 * `ttapi.bench/v2` records (one per benchmark, `imported` saying where it came from and whether its
 * samples are raw or a summary). Every record is built and validated before the first is appended:
 * a malformed file appends nothing.
 * @throws ImportError naming the file, the format and the field; UsageError for a bad option.
 */
export function importResults(o: ImportResultsOptions): ImportResultsResult {
  const format = importFormat(o.from)
  const ctx = { file: o.file, format }
  const parsed = FORMAT_READERS[format](ctx)
  if (parsed.cases.length === 0)
    throw new ImportError(`report import: ${o.file} (${format}): (file): no benchmark in it`)
  const now = o.now ?? new Date()
  const startedAt = now.toISOString()
  const label = sanitizeLabel(o.label ?? `import-${format}`)
  const pkg = o.package ?? format
  if (pkg.trim() === '') throw new UsageError('report import: expected --package to be a non-empty name, got ""')
  const { env, machine } = importedMachine(o.machine)
  // The tool's own settings are not ours to know: zeros say "not recorded", the engine says which tool.
  const config: RunConfig = { engine: format, warmup_ms: 0, measurement_ms: 0, min_samples: 1, profile: 'quick' }
  const runId = makeRunId(now)
  const window = { started_at: startedAt, finished_at: startedAt }
  const used = new Set<string>()
  const records = parsed.cases.map((c): BenchRecord => {
    const suite = caseName(c.group ?? format)
    let name = caseName(c.name)
    for (let k = 2; used.has(`${suite}/${name}`); k++) name = `${caseName(c.name)}_${k}`
    used.add(`${suite}/${name}`)
    const samples = samplesOf(c)
    const stats = computeStats(samples)
    const record: BenchRecord = {
      schema: 'ttapi.bench/v2',
      run: {
        id: runId,
        label,
        started_at: startedAt,
        git: { commit: null, branch: null, dirty: null },
        selection: { filter: null, packages: [pkg], profile: 'quick', processes: 1 },
      },
      machine,
      env,
      config,
      fingerprint: fingerprint(env, config),
      window,
      package: pkg,
      suite,
      case: name,
      unit: 'ops',
      items_per_op: 1,
      bytes_per_op: null,
      samples_ms: samples,
      processes: [{ n: samples.length, window, rss_peak_bytes: null, host: { other_cpu_cores: null, load1: null } }],
      host: { other_cpu_cores: null, load1: null },
      stats,
      throughput: { items_per_s: stats.p50_ms > 0 ? 1000 / stats.p50_ms : 0, bytes_per_s: null },
      memory: { rss_peak_bytes: null, heap_used_delta_bytes: null, gc_count: null, gc_ms: null },
      imported: {
        format,
        tool: parsed.tool,
        file: basename(o.file),
        name: c.group === null ? c.name : `${c.group} > ${c.name}`,
        samples: c.samplesMs === null ? 'summary' : 'raw',
        summary: c.samplesMs === null ? c.summary : null,
      },
    }
    const valid = validateRecord(record)
    if (!valid.ok)
      throw new ImportError(`report import: ${o.file} (${format}): ${c.name}: ${valid.errors[0] ?? 'invalid record'}`)
    return record
  })
  const file = join(o.historyDir, resultFileName(now, label))
  for (const r of records) appendRecord(file, r)
  return { format, tool: parsed.tool, file, records }
}

/**
 * The env and machine of an imported run: this host's (the results were made here) unless `--machine` names
 * another, whose env is then unknown (all null) and whose id is derived from the name.
 */
function importedMachine(named: string | undefined): { env: EnvInfo; machine: MachineInfo } {
  if (named === undefined) {
    const env = captureEnv(null)
    return { env, machine: machineOf(env) }
  }
  const env: EnvInfo = {
    os: null,
    os_release: null,
    arch: null,
    cpu_model: null,
    cores: null,
    mem_bytes: null,
    node: null,
    v8: null,
    ci: null,
    glibc_tunables: null,
  }
  return { env, machine: { id: machineId(named), name: named, source: 'env' } }
}

/** The samples of a parsed case: its raw samples, or its summary's mean as the one value. */
function samplesOf(c: ParsedCase): number[] {
  if (c.samplesMs !== null) return c.samplesMs
  return [c.summary!.mean_ms]
}

/** A machine name as an id (`[A-Za-z0-9._-]{1,64}`). */
function machineId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 64)
  if (id.replace(/-/g, '') === '')
    throw new UsageError(`report import: expected --machine to hold a letter or digit, got ${JSON.stringify(name)}`)
  return id
}
