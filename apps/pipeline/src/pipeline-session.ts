import { AnalysisPool } from '@ttapi/analysis'
import { finishRun } from './_finish-run.ts'
import { openRunContext } from './_run-context.ts'
import type { RunContext } from './_run-context.ts'
import { runStages } from './_run-stages.ts'
import type { Terminal } from './terminal.ts'
import { SummaryLines } from './write-summary.ts'
import type { RefreshResult, RunMode, SessionOptions } from './types.ts'

/**
 * One long-lived pipeline over fixed inputs: what `ttapi watch` runs. It keeps the quote source's connections, the
 * analysis worker pool (`workers` > 1), the imported columns with the watched data fingerprint (a refresh re-imports
 * only when the data files changed) and the rendered summary lines (re-rendered only for symbols whose values
 * changed). Each {@link PipelineSession.refresh} runs the three stages in the session's mode and rewrites the
 * summaries atomically — only when the refresh is good (exit code 0) or none was written yet, so a bad refresh
 * leaves the last good summaries in place.
 * @example
 * await using session = await PipelineSession.open({ dataset: 'quick' }, terminal)
 * const first = await session.refresh()
 */
export class PipelineSession {
  readonly #ctx: RunContext
  readonly #mode: RunMode
  #refreshes = 0
  #written = false
  #closed = false

  private constructor(ctx: RunContext, mode: RunMode) {
    this.#ctx = ctx
    this.#mode = mode
  }

  /**
   * Opens a session: resolves and checks the directories, reads the universe, generates the synthetic market when
   * needed, and starts the worker pool when `workers` > 1. Nothing is collected or imported before the first refresh.
   * @param options - See {@link SessionOptions}.
   * @param terminal - Where the stages' lines and warnings go.
   * @param env - Environment (`TTAPI_HOME`).
   * @throws PipelineError `PIPELINE_INPUT` for an out or cache directory that cannot be written
   */
  static async open(
    options: SessionOptions,
    terminal: Terminal,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<PipelineSession> {
    const workers = options.workers ?? 1
    const pool = workers > 1 ? new AnalysisPool({ workers }) : null
    const kept = {
      columns: { table: null },
      lines: new SummaryLines(),
      pool,
      history: { version: 1 as const, cold: null, cached: null },
    }
    try {
      const ctx = await openRunContext(options, terminal, env, kept)
      await pool?.ready()
      return new PipelineSession(ctx, options.mode ?? 'cached')
    } catch (error) {
      await pool?.close()
      throw error
    }
  }

  /** Refreshes run so far. */
  get refreshes(): number {
    return this.#refreshes
  }

  /** The data directory the session reads (absolute). */
  get dataDir(): string {
    return this.#ctx.dataDir
  }

  /** Time to live of cached quotes, ms: when a cached session's quotes expire. */
  get quoteTtlMs(): number {
    return this.#ctx.quoteTtlMs
  }

  /**
   * Runs the stages once more: in a cached session, quotes come from the cache until their TTL expires and the
   * columns from memory until the data files change; the analysis is always recomputed.
   */
  async refresh(): Promise<RefreshResult> {
    if (this.#closed) throw new Error('pipeline: refresh() on a closed PipelineSession')
    const startedAt = new Date()
    const out = await runStages(this.#ctx, this.#mode)
    const good = out.stages.every((s) => s.failureShare <= this.#ctx.maxFailureShare)
    const write = good || !this.#written
    const result = finishRun(this.#ctx, this.#mode, startedAt, out, write)
    this.#written ||= write
    this.#refreshes++
    const { lines } = this.#ctx.kept!
    const counts = write ? { reused: lines.reused, rendered: lines.rendered } : { reused: 0, rendered: 0 }
    return { ...result, written: write, refresh: this.#refreshes, lines: counts }
  }

  /** Stops the quote source (and the embedded server), the worker pool and the data watchers. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const kept = this.#ctx.kept!
    kept.columns.fingerprint?.close()
    await this.#ctx.source.close()
    await kept.pool?.close()
  }

  /** = {@link PipelineSession.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
