import { mkdirSync, mkdtempSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { appendRecord } from './append-record.ts'
import { buildRecord } from './build-record.ts'
import type { ProcessReply } from './build-record.ts'
import { captureEnv, captureGit } from './capture-env.ts'
import { collectCpuProfiles, cpuProfileFileName, summarizeCpuProfile } from './cpu-profile.ts'
import { validateSuite } from './define-suite.ts'
import { findPackage, findWorkspaceRoot, packageBenchFiles, workspaceBenchFiles } from './discover.ts'
import { BenchUsageError } from './errors.ts'
import { acquireLock } from './file-lock.ts'
import { BUSY_OTHER_CPU_CORES } from './host-load.ts'
import { machineOf } from './machine.ts'
import { computeStats } from './compute-stats.ts'
import { formatAllocation, formatBytes, formatMs, formatSI, formatTables } from './format.ts'
import { injectFactor, parseInject } from './inject.ts'
import { resultFileName, sanitizeLabel } from './label.ts'
import { caseConfig, overridesFromEnv, processesFor } from './profiles.ts'
import { quantile } from './quantile.ts'
import { joinRunSession } from './run-session.ts'
import { childGlibcTunables, runCaseInChild } from './run-case.ts'
import type { ChildReply } from './_protocol.ts'
import type {
  BenchRecord,
  EnvInfo,
  MachineInfo,
  FailedCase,
  Profile,
  RunBenchmarksOptions,
  RunBenchmarksResult,
  RunConfig,
  RunSelection,
  SuiteDefinition,
} from './types.ts'

interface PlannedCase {
  file: string
  pkg: string
  suite: SuiteDefinition
  name: string
}

/** Default hard limit of one case's process: a hung case fails instead of blocking the machine lock forever. */
const CASE_TIMEOUT_MS = 15 * 60_000

function caseTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env['BENCH_CASE_TIMEOUT_MS']
  const v = raw === undefined || raw === '' ? CASE_TIMEOUT_MS : Number(raw)
  if (!(Number.isFinite(v) && v > 0))
    throw new BenchUsageError(
      `bench: Expected \`BENCH_CASE_TIMEOUT_MS\` to be a number of ms above 0, got \`${String(raw)}\``,
    )
  return v
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Imports each bench file, validates its suite and lists the cases `filter` selects that run in `profile`;
 * load errors go to `failed`, the selected cases of other profiles only to `leftOut`.
 */
async function planCases(
  files: string[],
  root: string,
  { filter, profile }: Pick<RunContext, 'filter' | 'profile'>,
  failed: FailedCase[],
  leftOut: string[],
): Promise<PlannedCase[]> {
  const plan: PlannedCase[] = []
  for (const f of files) {
    const pkg = findPackage(path.dirname(f))?.name ?? path.basename(path.dirname(path.dirname(f)))
    try {
      const mod = (await import(pathToFileURL(f).href)) as { default?: unknown }
      validateSuite(mod.default, path.relative(root, f))
      const suite = mod.default
      for (const c of suite.cases) {
        if (filter && !filter.test(`${suite.suite}/${c.name}`)) continue
        if (c.profiles === undefined || c.profiles.includes(profile))
          plan.push({ file: f, pkg: suite.package ?? pkg, suite, name: c.name })
        else leftOut.push(`${suite.suite}/${c.name}: ${c.profiles.join(', ')} only`)
      }
    } catch (error) {
      failed.push({ package: pkg, suite: path.relative(root, f), case: '*', error: describe(error) })
    }
  }
  return plan
}

/** Everything a run resolved before measuring: settings, workspace, machine, session and files. */
interface RunContext {
  opts: RunBenchmarksOptions
  env: NodeJS.ProcessEnv
  write: (text: string) => void
  profile: Profile
  live: boolean
  overrides: ReturnType<typeof overridesFromEnv>
  inject: ReturnType<typeof parseInject>
  timeoutMs: number
  processes: number
  filter: RegExp | undefined
  root: string
  files: string[]
  envInfo: EnvInfo
  machine: MachineInfo
  label: string
  benchDir: string
  session: ReturnType<typeof joinRunSession>
  /** The dated `.ndjson` file records go to. */
  file: string
  /** Where `--cpu-prof` profiles go, or null without it. */
  profileDir: string | null
  /** The run every record of this invocation carries. */
  run: BenchRecord['run']
}

/** Validates every setting (usage errors before anything runs), finds the workspace and joins the run session. */
function resolveRun(opts: RunBenchmarksOptions): RunContext {
  const env = opts.env ?? process.env
  const profile = opts.profile ?? 'quick'
  const overrides = overridesFromEnv(env)
  const inject = parseInject(env['BENCH_INJECT'])
  const timeoutMs = caseTimeoutMs(env)
  const processes = processesFor(profile, opts.processes, env)
  const filter = parseFilter(opts.filter)
  const root = findWorkspaceRoot(opts.cwd)
  if (root === null) throw new BenchUsageError(`bench: no pnpm-workspace.yaml at or above ${opts.cwd}`)
  const envInfo = captureEnv(childGlibcTunables(env))
  const git = captureGit(root)
  const label = sanitizeLabel(opts.label ?? git.branch ?? 'local')
  const files = opts.all ? workspaceBenchFiles(root) : packageFiles(opts.cwd)
  const selection: RunSelection = {
    filter: opts.filter ?? null,
    packages: [...new Set(files.map((f) => packageOf(f)))].sort(),
    profile,
    processes,
  }
  const benchDir = path.join(root, 'benchmarks')
  mkdirSync(benchDir, { recursive: true })
  const session = joinRunSession(benchDir, env)
  const profileDir = opts.cpuProf ? path.join(benchDir, 'profiles') : null
  if (profileDir !== null) mkdirSync(profileDir, { recursive: true })
  return {
    opts,
    env,
    write: opts.write ?? ((t: string) => void process.stdout.write(t)),
    profile,
    live: opts.live ?? (process.stdout.isTTY && !env['CI']),
    overrides,
    inject,
    timeoutMs,
    processes,
    filter,
    root,
    files,
    envInfo,
    machine: machineOf(envInfo, env),
    label,
    benchDir,
    session,
    file: path.join(benchDir, resultFileName(session.startedAt, label)),
    profileDir,
    run: { id: session.id, label, started_at: session.startedAt.toISOString(), git, selection },
  }
}

/**
 * Loads every file first, so the plan (and load errors) are known before measuring. Importing runs
 * the files' top-level code (and their imports), so it also waits for the machine lock: it must not
 * load the machine while another runner measures.
 */
async function planUnderLock(ctx: RunContext, failed: FailedCase[], leftOut: string[]): Promise<PlannedCase[]> {
  const lock =
    ctx.files.length > 0
      ? await acquireLock(path.join(ctx.benchDir, '.lock'), { note: `planning ${ctx.opts.cwd}` })
      : undefined
  try {
    return await planCases(ctx.files, ctx.root, ctx, failed, leftOut)
  } finally {
    lock?.release()
  }
}

/** The lines a run prints before measuring: joined session, injected slow-downs, nothing to run. */
function announce(ctx: RunContext, plan: PlannedCase[], failed: FailedCase[], leftOut: string[]): void {
  const { write, session, env, opts } = ctx
  if (leftOut.length > 0)
    write(`bench: ${leftOut.length} case(s) left out, not run in the ${ctx.profile} profile (e.g. ${leftOut[0]})\n`)
  if (session.source !== 'own') write(`bench: joining run ${session.id} (${SESSION_WORDS[session.source]})\n`)
  if (ctx.inject.length > 0) write(`bench: BENCH_INJECT=${env['BENCH_INJECT'] ?? ''} (cases slowed on purpose)\n`)
  if (plan.length === 0 && failed.length === 0) {
    write(
      ctx.filter
        ? `bench: no case matches --filter ${opts.filter ?? ''}\n`
        : `bench: no bench/*.bench.ts files found\n`,
    )
  }
}

/** Where the measured processes of a run go. */
interface RunOutcome {
  replies: Map<PlannedCase, ProcessReply[]>
  records: BenchRecord[]
  failed: FailedCase[]
}

/**
 * Measures process `round + 1` of one case: a failure is recorded and printed; the last process
 * turns the case's replies into a record, appended and printed with its profile's top functions.
 */
async function measureCaseRound(ctx: RunContext, out: RunOutcome, p: PlannedCase, tag: string): Promise<void> {
  const { write, processes } = ctx
  const clear = ctx.live ? '\r\x1b[K' : ''
  const c = p.suite.cases.find((x) => x.name === p.name)!
  const config = caseConfig(ctx.profile, ctx.overrides, c)
  const { reply, profPath } = await measureProcess({
    p,
    tag,
    config,
    profile: ctx.profile,
    root: ctx.root,
    benchDir: ctx.benchDir,
    profileDir: ctx.profileDir,
    profName: cpuProfileFileName(p.suite.suite, p.name, ctx.session.id),
    env: ctx.env,
    injectFactor: injectFactor(ctx.inject, p.suite.suite, p.name),
    timeoutMs: ctx.timeoutMs,
    live: ctx.live,
    write,
  })
  const fail = (error: string): void => {
    out.failed.push({ package: p.pkg, suite: p.suite.suite, case: p.name, error })
    write(`${clear}${tag} FAILED: ${error}\n`)
  }
  if (!reply.ok) return fail(reply.error)
  const done = out.replies.get(p) ?? []
  done.push(reply)
  out.replies.set(p, done)
  if (done.length < processes) {
    write(`${clear}${tag}: p50 ${formatMs(computeStats(reply.measurement.samples_ms).p50_ms)}\n`)
    return
  }
  const ids = { package: p.pkg, suite: p.suite.suite, case: p.name, unit: c.unit }
  const record = buildRecord({ run: ctx.run, machine: ctx.machine, env: ctx.envInfo, config, ...ids }, done)
  try {
    appendRecord(ctx.file, record)
  } catch (error) {
    return fail(describe(error))
  }
  out.records.push(record)
  write(`${clear}${tag}: ${resultLine(record)}\n`)
  printProfile(ctx, profPath)
}

/** The top functions of a case's main-thread profile, when `--cpu-prof` asked for one. */
function printProfile(ctx: RunContext, profPath: string | null): void {
  if (profPath !== null) {
    try {
      ctx.write(`${summarizeCpuProfile(profPath, 10)}\n`)
    } catch (error) {
      ctx.write(`bench: cannot read ${profPath}: ${describe(error)}\n`)
    }
  } else if (ctx.opts.cpuProf) ctx.write(`bench: the case's process wrote no profile of its main thread\n`)
}

/** The tables of the records written, the result file, and the failed cases. */
function printSummary(ctx: RunContext, out: RunOutcome): void {
  const { write } = ctx
  if (out.records.length > 0)
    write(`\n${formatTables(out.records)}\n\nresults: ${path.relative(ctx.opts.cwd, ctx.file) || ctx.file}\n`)
  if (out.failed.length > 0) {
    write(`\n${out.failed.length} failed case(s), no record written for them:\n`)
    for (const f of out.failed) write(`  ${f.package} ${f.suite}/${f.case}: ${f.error}\n`)
  }
}

/**
 * Runs benchmark cases one child process each, under the machine-wide lock
 * `<root>/benchmarks/.lock`, and appends one validated record per case to
 * `<root>/benchmarks/<YYYY-MM-DD>_<label>.ndjson`. Failed cases are collected, never thrown.
 *
 * @param opts - What to run and how.
 * @returns Records, failures and where they went.
 * @throws BenchUsageError for a bad label, filter, env override or a missing workspace.
 */
export async function runBenchmarks(opts: RunBenchmarksOptions): Promise<RunBenchmarksResult> {
  const ctx = resolveRun(opts)
  const out: RunOutcome = { replies: new Map(), records: [], failed: [] }
  const leftOut: string[] = []
  const plan = await planUnderLock(ctx, out.failed, leftOut)
  announce(ctx, plan, out.failed, leftOut)
  // Round r measures process r of every case, so a slow spell of the machine lands on several
  // cases' processes, not on every process of one case.
  for (let round = 0; round < ctx.processes; round++) {
    for (const [i, p] of plan.entries()) {
      if ((out.replies.get(p)?.length ?? 0) < round) continue // failed in an earlier round
      const of = ctx.processes > 1 ? ` (process ${round + 1}/${ctx.processes})` : ''
      await measureCaseRound(ctx, out, p, `[${i + 1}/${plan.length}] ${p.pkg} ${p.suite.suite}/${p.name}${of}`)
    }
  }
  printSummary(ctx, out)
  const { records, failed } = out
  return { runId: ctx.session.id, label: ctx.label, file: ctx.file, workspaceRoot: ctx.root, records, failed }
}

const SESSION_WORDS = {
  env: 'BENCH_RUN_ID',
  turbo: 'one run for every package of this turbo invocation',
  github: 'one run for this CI job',
  own: '',
} as const

/** `p50 27.1 ms, 51.0M rows/s, ±0.4% (n=36), peak RSS 310 MB, alloc 1.02 KiB/op`, and each process's p50 when there are several. */
function resultLine(record: BenchRecord): string {
  const { stats } = record
  let offset = 0
  const perProcess = record.processes.map((pr) => {
    const slice = Float64Array.from(record.samples_ms.slice(offset, (offset += pr.n))).sort()
    return formatMs(quantile(slice, 0.5))
  })
  const processes = perProcess.length > 1 ? ` (processes: ${perProcess.join(', ')})` : ''
  const busy =
    record.host.other_cpu_cores !== null && record.host.other_cpu_cores > BUSY_OTHER_CPU_CORES
      ? `; busy machine: other processes took ${record.host.other_cpu_cores.toFixed(2)} cores`
      : ''
  return (
    `p50 ${formatMs(stats.p50_ms)}${processes}, ${formatSI(record.throughput.items_per_s)} ${record.unit}/s, ` +
    `±${stats.rme_pct.toFixed(1)}% (n=${stats.n}), peak RSS ${formatBytes(record.memory.rss_peak_bytes)}, ` +
    `alloc ${formatAllocation(record.memory.alloc_bytes_per_op ?? null)}/op${busy}`
  )
}

function parseFilter(raw: string | undefined): RegExp | undefined {
  if (raw === undefined) return undefined
  try {
    return new RegExp(raw)
  } catch {
    throw new BenchUsageError(`bench: Expected \`--filter\` to be a regular expression, got \`${raw}\``)
  }
}

function packageFiles(cwd: string): string[] {
  const pkg = findPackage(cwd)
  return pkg ? packageBenchFiles(pkg.dir) : []
}

function packageOf(benchFile: string): string {
  return findPackage(path.dirname(benchFile))?.name ?? path.basename(path.dirname(path.dirname(benchFile)))
}

interface MeasureProcessOptions {
  p: PlannedCase
  tag: string
  config: RunConfig
  profile: Profile
  root: string
  benchDir: string
  profileDir: string | null
  profName: string
  env: NodeJS.ProcessEnv
  injectFactor: number
  timeoutMs: number
  live: boolean
  write: (text: string) => void
}

/** One fresh process of one case, under the machine lock, with its live status line and its `--cpu-prof` files. */
async function measureProcess(o: MeasureProcessOptions): Promise<{ reply: ChildReply; profPath: string | null }> {
  const { p, tag, live, write } = o
  const clear = live ? '\r\x1b[K' : ''
  // On a TTY one live line per case (phase and elapsed time); in CI / pipes plain lines.
  const t0 = Date.now()
  let phase = 'waiting for the lock'
  const status = (): void => write(`${clear}${tag} … ${phase} ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  const ticker = live ? setInterval(status, 250) : undefined
  let profPath: string | null = null
  try {
    const lock = await acquireLock(path.join(o.benchDir, '.lock'), {
      note: `${p.pkg} ${p.suite.suite}/${p.name}`,
      onWait: (pid, note) => {
        phase = `waiting for the lock (${note ?? `pid ${String(pid)}`})`
        if (!live)
          write(`${tag}: waiting for the benchmark lock (held by pid ${String(pid)}${note ? `: ${note}` : ''})\n`)
      },
    })
    // Each case's child writes its profiles (one per thread) into a directory of its own; see collectCpuProfiles.
    const profCaseDir = o.profileDir === null ? null : mkdtempSync(path.join(o.profileDir, '.case-'))
    let reply: ChildReply
    try {
      phase = 'running'
      if (live) status()
      else write(`${tag} running\n`)
      reply = await runCaseInChild({
        request: {
          benchFile: p.file,
          caseName: p.name,
          profile: o.profile,
          config: o.config,
          workspaceRoot: o.root,
          injectFactor: o.injectFactor,
        },
        env: { ...o.env, GLIBC_TUNABLES: childGlibcTunables(o.env) },
        nodeArgs: profCaseDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profCaseDir],
        onOutput: (t) => write(`${clear}${t}`),
        timeoutMs: o.timeoutMs,
      })
    } finally {
      lock.release()
      // Also for a failed case: its directory is removed, and what profile it wrote is kept.
      if (profCaseDir !== null && o.profileDir !== null)
        profPath = collectCpuProfiles(profCaseDir, o.profileDir, o.profName)
    }
    return { reply, profPath }
  } finally {
    clearInterval(ticker)
  }
}
