import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { appendRecord } from './append-record.ts'
import { captureEnv, captureGit } from './capture-env.ts'
import { collectCpuProfiles, cpuProfileFileName, summarizeCpuProfile } from './cpu-profile.ts'
import { validateSuite } from './define-suite.ts'
import { findPackage, findWorkspaceRoot, packageBenchFiles, workspaceBenchFiles } from './discover.ts'
import { BenchUsageError } from './errors.ts'
import { acquireLock } from './file-lock.ts'
import { fingerprint } from './fingerprint.ts'
import { computeStats } from './compute-stats.ts'
import { formatBytes, formatMs, formatSI, formatTables } from './format.ts'
import { injectFactor, parseInject } from './inject.ts'
import { resultFileName, sanitizeLabel } from './label.ts'
import { caseConfig, overridesFromEnv } from './profiles.ts'
import { childGlibcTunables, runCaseInChild } from './run-case.ts'
import type { BenchRecord, FailedCase, RunBenchmarksOptions, RunBenchmarksResult, SuiteDefinition } from './types.ts'

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

/** Imports each bench file, validates its suite and lists the cases `filter` selects; load errors go to `failed`. */
async function planCases(
  files: string[],
  root: string,
  filter: RegExp | undefined,
  failed: FailedCase[],
): Promise<PlannedCase[]> {
  const plan: PlannedCase[] = []
  for (const f of files) {
    const pkg = findPackage(path.dirname(f))?.name ?? path.basename(path.dirname(path.dirname(f)))
    try {
      const mod = (await import(pathToFileURL(f).href)) as { default?: unknown }
      validateSuite(mod.default, path.relative(root, f))
      const suite = mod.default
      for (const c of suite.cases) {
        if (!filter || filter.test(`${suite.suite}/${c.name}`))
          plan.push({ file: f, pkg: suite.package ?? pkg, suite, name: c.name })
      }
    } catch (error) {
      failed.push({ package: pkg, suite: path.relative(root, f), case: '*', error: describe(error) })
    }
  }
  return plan
}

/**
 * A unique, sortable run id: UTC start time plus 6 random hex chars (`20261127T001500Z-a1b2c3`).
 *
 * @param startedAt - When the run started.
 * @returns The id.
 */
export function makeRunId(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}-${randomBytes(3).toString('hex')}`
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
  const env = opts.env ?? process.env
  const write = opts.write ?? ((t: string) => void process.stdout.write(t))
  const profile = opts.profile ?? 'quick'
  const live = opts.live ?? (process.stdout.isTTY && !env['CI'])
  const overrides = overridesFromEnv(env)
  const inject = parseInject(env['BENCH_INJECT'])
  caseTimeoutMs(env)
  let filter: RegExp | undefined
  if (opts.filter !== undefined) {
    try {
      filter = new RegExp(opts.filter)
    } catch {
      throw new BenchUsageError(`bench: Expected \`--filter\` to be a regular expression, got \`${opts.filter}\``)
    }
  }
  const root = findWorkspaceRoot(opts.cwd)
  if (root === null) throw new BenchUsageError(`bench: no pnpm-workspace.yaml at or above ${opts.cwd}`)
  let files: string[]
  if (opts.all) files = workspaceBenchFiles(root)
  else {
    const pkg = findPackage(opts.cwd)
    files = pkg ? packageBenchFiles(pkg.dir) : []
  }

  const startedAt = new Date()
  const git = captureGit(root)
  const label = sanitizeLabel(opts.label ?? git.branch ?? 'local')
  const runId = makeRunId(startedAt)
  const benchDir = path.join(root, 'benchmarks')
  mkdirSync(benchDir, { recursive: true })
  const file = path.join(benchDir, resultFileName(startedAt, label))
  const profileDir = path.join(benchDir, 'profiles')
  if (opts.cpuProf) mkdirSync(profileDir, { recursive: true })
  const glibc = childGlibcTunables(env)
  const records: BenchRecord[] = []
  const failed: FailedCase[] = []

  // Load every file first, so the plan (and load errors) are known before measuring. Importing
  // runs the files' top-level code (and their imports), so it also waits for the machine lock:
  // it must not load the machine while another runner measures.
  const planLock =
    files.length > 0 ? await acquireLock(path.join(benchDir, '.lock'), { note: `planning ${opts.cwd}` }) : undefined
  let plan: PlannedCase[]
  try {
    plan = await planCases(files, root, filter, failed)
  } finally {
    planLock?.release()
  }
  if (inject.length > 0) write(`bench: BENCH_INJECT=${env['BENCH_INJECT'] ?? ''} (cases slowed on purpose)\n`)
  if (plan.length === 0 && failed.length === 0) {
    write(
      filter ? `bench: no case matches --filter ${opts.filter ?? ''}\n` : `bench: no bench/*.bench.ts files found\n`,
    )
  }

  for (const [i, p] of plan.entries()) {
    const c = p.suite.cases.find((x) => x.name === p.name)!
    const config = caseConfig(profile, overrides, c)
    const tag = `[${i + 1}/${plan.length}] ${p.pkg} ${p.suite.suite}/${p.name}`
    const clear = live ? '\r\x1b[K' : ''
    // On a TTY one live line per case (phase and elapsed time); in CI / pipes plain lines.
    const t0 = Date.now()
    let phase = 'waiting for the lock'
    const status = (): void => write(`${clear}${tag} … ${phase} ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const ticker = live ? setInterval(status, 250) : undefined
    let reply
    const profName = cpuProfileFileName(p.suite.suite, p.name, runId)
    let profCaseDir: string | null = null
    let profPath: string | null = null
    try {
      const lock = await acquireLock(path.join(benchDir, '.lock'), {
        note: `${p.pkg} ${p.suite.suite}/${p.name}`,
        onWait: (pid, note) => {
          phase = `waiting for the lock (${note ?? `pid ${String(pid)}`})`
          if (!live)
            write(`${tag}: waiting for the benchmark lock (held by pid ${String(pid)}${note ? `: ${note}` : ''})\n`)
        },
      })
      // Each case's child writes its profiles (one per thread) into a directory of its own; see collectCpuProfiles.
      profCaseDir = opts.cpuProf ? mkdtempSync(path.join(profileDir, '.case-')) : null
      try {
        phase = 'running'
        if (live) status()
        else write(`${tag} running\n`)
        reply = await runCaseInChild({
          request: {
            benchFile: p.file,
            caseName: p.name,
            profile,
            config,
            workspaceRoot: root,
            injectFactor: injectFactor(inject, p.suite.suite, p.name),
          },
          env: { ...env, GLIBC_TUNABLES: glibc },
          nodeArgs: profCaseDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', profCaseDir],
          onOutput: (t) => write(`${clear}${t}`),
          timeoutMs: caseTimeoutMs(env),
        })
      } finally {
        lock.release()
        // Also for a failed case: its directory is removed, and what profile it wrote is kept.
        if (profCaseDir !== null) profPath = collectCpuProfiles(profCaseDir, profileDir, profName)
      }
    } finally {
      clearInterval(ticker)
    }
    if (!reply.ok) {
      failed.push({ package: p.pkg, suite: p.suite.suite, case: p.name, error: reply.error })
      write(`${clear}${tag} FAILED: ${reply.error}\n`)
      continue
    }
    const m = reply.measurement
    const stats = computeStats(m.samples_ms)
    const record: BenchRecord = {
      schema: 'ttapi.bench/v1',
      run: { id: runId, label, started_at: startedAt.toISOString(), git },
      env: captureEnv(reply.glibc_tunables),
      config,
      fingerprint: '',
      window: m.window,
      package: p.pkg,
      suite: p.suite.suite,
      case: p.name,
      unit: c.unit,
      items_per_op: reply.items_per_op,
      bytes_per_op: reply.bytes_per_op,
      samples_ms: m.samples_ms,
      stats,
      throughput: {
        items_per_s: reply.items_per_op / (stats.p50_ms / 1000),
        bytes_per_s: reply.bytes_per_op === null ? null : reply.bytes_per_op / (stats.p50_ms / 1000),
      },
      memory: {
        rss_peak_bytes: reply.rss_peak_bytes,
        heap_used_delta_bytes: m.heap_used_delta_bytes,
        gc_count: m.gc_count,
        gc_ms: m.gc_ms,
      },
    }
    record.fingerprint = fingerprint(record.env, config)
    try {
      appendRecord(file, record)
    } catch (error) {
      failed.push({ package: p.pkg, suite: p.suite.suite, case: p.name, error: describe(error) })
      write(`${clear}${tag} FAILED: ${describe(error)}\n`)
      continue
    }
    records.push(record)
    write(
      `${clear}${tag}: p50 ${formatMs(stats.p50_ms)}, ${formatSI(record.throughput.items_per_s)} ${c.unit}/s, ` +
        `±${stats.rme_pct.toFixed(1)}% (n=${stats.n}), peak RSS ${formatBytes(reply.rss_peak_bytes)}\n`,
    )
    if (profPath !== null) {
      try {
        write(`${summarizeCpuProfile(profPath, 10)}\n`)
      } catch (error) {
        write(`bench: cannot read ${profPath}: ${describe(error)}\n`)
      }
    } else if (opts.cpuProf) write(`bench: the case's process wrote no profile of its main thread\n`)
  }

  if (records.length > 0) write(`\n${formatTables(records)}\n\nresults: ${path.relative(opts.cwd, file) || file}\n`)
  if (failed.length > 0) {
    write(`\n${failed.length} failed case(s), no record written for them:\n`)
    for (const f of failed) write(`  ${f.package} ${f.suite}/${f.case}: ${f.error}\n`)
  }
  return { runId, label, file, workspaceRoot: root, records, failed }
}
