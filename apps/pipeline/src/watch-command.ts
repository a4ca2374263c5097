import { watch } from 'node:fs'
import type { FSWatcher } from 'node:fs'
import { checkRunPaths } from './check-run-paths.ts'
import { numberOption } from './command-line.ts'
import { runOptionsFrom } from './commands.ts'
import type { CommandContext, OptionValues } from './commands.ts'
import { PipelineSession } from './pipeline-session.ts'
import { formatDuration } from './stage-table.ts'
import { Terminal } from './terminal.ts'
import type { RefreshResult } from './types.ts'

/** Quiet time after the last data-directory event before a refresh starts (a copy in progress settles first). */
const SETTLE_MS = 200

/**
 * `ttapi watch`: one {@link PipelineSession} refreshed every `--interval` (default: when the quotes expire) and as
 * soon as the data directory changes, one line per refresh on stdout, until SIGINT/SIGTERM (after the refresh in
 * progress, so every file is whole) or `--refreshes` refreshes.
 * @param values - Parsed options.
 * @param ctx - Terminal, cwd, environment, stop signal.
 * @returns 0 when stopped by a signal, else the last refresh's exit code
 */
export async function watchCommand(values: OptionValues, ctx: CommandContext): Promise<number> {
  const options = runOptionsFrom(values, ctx.cwd, 'watch')
  const interval = numberOption('watch', 'interval', values.interval, { min: 0.01 })
  const refreshes = numberOption('watch', 'refreshes', values.refreshes, { min: 1, integer: true }) ?? Infinity
  checkRunPaths(options, ctx.env)
  // The stages' own lines are not printed (the refresh line says what they did); warnings are, after the refresh.
  const said: string[] = []
  const quiet = new Terminal({
    stdout: (t) => ctx.terminal.out(t),
    stderr: (t) => void said.push(t),
    stderrIsTTY: false,
    color: false,
    ci: true,
    quiet: true,
  })
  const session = await PipelineSession.open({ ...options, mode: options.mode }, quiet, ctx.env)
  let stopped = false
  const wake = new Wake()
  void ctx.stopSignal.then(() => {
    stopped = true
    wake.now()
  })
  const watcher = watchDir(session.dataDir, () => wake.after(SETTLE_MS))
  const everyMs = interval === undefined ? session.quoteTtlMs : interval * 1000
  let last: RefreshResult | null = null
  let lastGood = 0
  try {
    while (!stopped && session.refreshes < refreshes) {
      said.length = 0
      last = await session.refresh()
      if (last.written) lastGood = last.refresh
      for (const line of warningsNotSaid(said, last)) ctx.terminal.warn(line)
      ctx.terminal.out(`${refreshLine(last, lastGood)}\n`)
      if (stopped || session.refreshes >= refreshes) break
      await wake.sleep(everyMs)
    }
  } finally {
    watcher?.close()
    wake.now()
    await session.close()
  }
  return stopped ? 0 : (last?.summary.exitCode ?? 0)
}

/** A sleep that a signal or a data change ends early. */
class Wake {
  #timer: NodeJS.Timeout | null = null
  #resolve: (() => void) | null = null
  #pending = false

  /** Sleeps `ms`, or less when woken; returns at once when a wake came since the last sleep. */
  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      this.#resolve = resolve
      this.#timer = setTimeout(() => this.now(), ms)
    })
  }

  /** Wakes after `ms` of quiet (each call restarts the wait). */
  after(ms: number): void {
    if (this.#resolve === null) {
      this.#pending = true
      return
    }
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.now(), ms)
  }

  /** Wakes now. */
  now(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    const resolve = this.#resolve
    this.#resolve = null
    if (resolve === null) this.#pending = true
    else resolve()
  }
}

/** Watches a directory (non-persistent); null when it cannot be watched (refreshes then follow the interval only). */
function watchDir(dir: string, onChange: () => void): FSWatcher | null {
  try {
    const w = watch(dir, { persistent: false }, onChange)
    w.on('error', () => w.close())
    return w
  } catch {
    return null
  }
}

/** The warnings of a refresh, but the stage fallbacks its line already names. */
function warningsNotSaid(said: readonly string[], r: RefreshResult): string[] {
  const fallbacks = r.summary.stages.map((s) => s.fallback).filter((f): f is string => f !== null)
  return said
    .flatMap((t) => t.split('\n'))
    .filter((l) => l.startsWith('warning: '))
    .map((l) => l.slice('warning: '.length))
    .filter((l) => !fallbacks.some((f) => l.endsWith(`fell back to cold: ${f}`)))
}

/** Why a cached refresh collected: `expired` for stale quotes, else the stage's own reason. */
function why(fallback: string | null): string {
  if (fallback === null) return 'cold'
  return fallback.startsWith('cached quotes are stale') ? 'expired' : fallback
}

/**
 * One line per refresh: time, number, what changed, stage times, resident memory, and the failures.
 * @example
 * 19:40:01 refresh 3: quotes collected (expired), data unchanged; collection 12 ms, import 0.4 ms, analysis 3.1 ms, total 17 ms; rss 88 MB
 */
function refreshLine(r: RefreshResult, lastGood: number): string {
  const [collection, imported, analysis] = r.summary.stages as [
    RefreshResult['summary']['stages'][number],
    RefreshResult['summary']['stages'][number],
    RefreshResult['summary']['stages'][number],
  ]
  const quotes =
    collection.source === 'skipped'
      ? 'quotes skipped'
      : collection.source === 'cache'
        ? 'quotes cached'
        : `quotes collected (${r.summary.mode === 'cold' ? 'cold' : why(collection.fallback)})`
  const data =
    imported.status === 'failed'
      ? 'import failed'
      : imported.source === 'cache'
        ? 'data unchanged'
        : r.summary.mode === 'cold'
          ? 'data re-imported (cold)'
          : `data re-imported (${imported.fallback ?? 'first import'})`
  const times = `collection ${formatDuration(collection.ms)}, import ${formatDuration(imported.ms)}, analysis ${formatDuration(analysis.ms)}, total ${formatDuration(r.summary.totalMs)}`
  const rss = `rss ${Math.round(process.memoryUsage.rss() / 1e6)} MB`
  const time = r.summary.finishedAt.slice(11, 19)
  let line = `${time} refresh ${r.refresh}: ${quotes}, ${data}; ${times}; ${rss}`
  const n = r.summary.failures.length
  if (n > 0) {
    const f = r.summary.failures[0]!
    line += `; ${n} failure${n === 1 ? '' : 's'} (${f.stage}: ${f.subject}: ${f.reason})`
  }
  if (!r.written) line += `; summaries kept from refresh ${lastGood}`
  return line
}
