import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import type { ColumnTable } from '@ttapi/columnar-io'
import { spawnWorker } from '@ttapi/columnar-io/worker-pool'
import { STATISTIC_COUNT } from './_analyze-range.ts'
import { buildResult, checkInteger, checkProblem, prepare } from './_prepare.ts'
import type { WorkerJob, WorkerReply } from './_protocol.ts'
import { sharedTable } from './_shared.ts'
import { WorkerFailedError } from './errors.ts'
import { standardAnalysisSync } from './standard-analysis.ts'
import type { AnalysisPoolOptions, StandardAnalysisOptions, StandardAnalysisResult } from './types.ts'

// Running from TypeScript source (tsx, vitest), `spawnWorker` registers tsx in the worker before importing its entry.
const workerUrl = new URL(
  import.meta.url.endsWith('.ts') ? './_analysis-worker.ts' : './_analysis-worker.js',
  import.meta.url,
)

// Shared blocks one call's workers write into; kept by the pool and reused, because freshly allocated memory is slow
// to touch here (the output block alone is 32 x 8 bytes per symbol).
interface Scratch {
  out: Float64Array
  claimed: Int32Array
  startRow: Int32Array
  counter: Int32Array
}

const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(bytes, 8))

interface Pending {
  remaining: number
  badRow: number
  error: Error | null
  resolve: (badRow: number) => void
  reject: (error: Error) => void
}

/**
 * Worker threads kept alive across standard-analysis calls, so start-up is paid once. Close it with `close()`
 * or `await using`; idle workers do not keep the process alive.
 * @example
 * await using pool = new AnalysisPool({ workers: 2 })
 * const a = await pool.standardAnalysis(table)
 */
export class AnalysisPool {
  /** Number of worker threads. */
  readonly size: number
  #workers: Worker[]
  #ready: Promise<void>
  #pending = new Map<number, Pending>()
  #nextId = 0
  #closed = false
  #failure: Error | null = null
  // Scratch blocks not in use (one per concurrent call at most).
  #spare: Scratch[] = []

  /**
   * Starts the workers (they finish loading in the background; {@link AnalysisPool.ready} waits for them).
   * @param options - worker count
   * @throws InvalidOptionError when `workers` is not an integer from 1 up
   */
  constructor(options: AnalysisPoolOptions = {}) {
    checkInteger('workers', options.workers, 1)
    this.size = options.workers ?? availableParallelism()
    this.#workers = []
    const readies: Promise<void>[] = []
    for (let w = 0; w < this.size; w++) {
      const worker = spawnWorker(workerUrl)
      this.#workers.push(worker)
      readies.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve())
          worker.once('error', reject)
        }),
      )
      worker.on('message', (reply: WorkerReply) => this.#onReply(reply))
      worker.on('error', (error) => this.#fail(error))
      worker.on('exit', (code) => {
        if (!this.#closed) this.#fail(new Error(`worker exited with code ${code}`))
      })
    }
    // Once started, idle workers do not keep the process alive; they are ref'd while a job runs. (Unref'd only
    // now: adding a 'message' listener refs a worker again, and start-up itself must keep the process alive.)
    this.#ready = Promise.all(readies).then(
      () => {
        if (this.#pending.size === 0) for (const worker of this.#workers) worker.unref()
      },
      (error: unknown) => {
        throw new WorkerFailedError('analysis: a worker failed to start', { cause: error })
      },
    )
    // Start-up failures surface through the next call; keep them from being reported as unhandled meanwhile.
    this.#ready.catch(() => undefined)
  }

  /** Resolves once every worker has loaded; rejects with WorkerFailedError when one failed to start. */
  ready(): Promise<void> {
    return this.#ready
  }

  /**
   * The standard analysis over this pool's workers; see {@link standardAnalysis}.
   * @param table - sorted by (symbol, date)
   * @param options - see {@link StandardAnalysisOptions} (`workers` and `pool` are ignored)
   */
  async standardAnalysis(table: ColumnTable, options: StandardAnalysisOptions = {}): Promise<StandardAnalysisResult> {
    if (this.#closed) throw new WorkerFailedError('analysis: the pool is closed')
    if (table.length < (options.singleThreadBelowRows ?? 100_000)) return standardAnalysisSync(table, options)
    const prepared = prepare(table, options)
    await this.#ready
    if (this.#failure !== null) throw new WorkerFailedError('analysis: the pool has failed', { cause: this.#failure })
    const { table: shared, copied } = sharedTable(table)
    const { stride } = prepared
    const n = table.length
    const scratch = this.#takeScratch(stride)
    const { out, claimed, startRow, counter } = scratch
    // Row chunks, many more than workers so they even out; a symbol belongs to the chunk holding its first row.
    const count = Math.max(1, Math.min(this.size * 64, Math.ceil(n / 1024)))
    const chunks = Int32Array.from({ length: count + 1 }, (_, c) => Math.round((c * n) / count))
    const id = this.#nextId++
    const job: WorkerJob = {
      id,
      columns: {
        symbol: shared.symbol,
        date: shared.date,
        high: shared.high,
        low: shared.low,
        close: shared.close,
        volume: shared.volume,
      },
      length: n,
      chunks,
      counter,
      target: { out, stride, claimed, startRow },
      params: prepared.params,
    }
    for (const worker of this.#workers) worker.ref()
    let problem: number
    try {
      problem = await new Promise<number>((resolve, reject) => {
        this.#pending.set(id, { remaining: this.size, badRow: -1, error: null, resolve, reject })
        for (const worker of this.#workers) worker.postMessage(job)
      })
    } finally {
      if (this.#pending.size === 0) for (const worker of this.#workers) worker.unref()
    }
    // The result is copied out of the scratch block, which goes back to the pool even when the table was bad.
    this.#spare.push(scratch)
    checkProblem(table, problem)
    return buildResult(table, out, stride, claimed, startRow, copied, this.size)
  }

  // A scratch block for a dictionary of `stride` symbols, cleared for a new call (the output block needs no clearing:
  // only claimed symbols are read, and every statistic of a claimed symbol is written).
  #takeScratch(stride: number): Scratch {
    let s = this.#spare.pop()
    if (s === undefined || s.claimed.length < stride) {
      s = {
        out: new Float64Array(sab(STATISTIC_COUNT * stride * 8)),
        claimed: new Int32Array(sab(stride * 4)),
        startRow: new Int32Array(sab(stride * 4)),
        counter: new Int32Array(sab(4)),
      }
    } else s.claimed.fill(0, 0, stride)
    s.counter[0] = 0
    return s
  }

  /** Stops the workers; pending calls reject. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#fail(new Error('pool closed'))
    await Promise.all(this.#workers.map((w) => w.terminate()))
  }

  /** Same as {@link AnalysisPool.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #onReply(reply: WorkerReply): void {
    const p = this.#pending.get(reply.id)
    if (p === undefined) return
    if (reply.error !== null && p.error === null) p.error = new Error(reply.error)
    if (reply.badRow >= 0 && (p.badRow < 0 || reply.badRow < p.badRow)) p.badRow = reply.badRow
    if (--p.remaining > 0) return
    this.#pending.delete(reply.id)
    if (p.error !== null) p.reject(new WorkerFailedError('analysis: a worker failed', { cause: p.error }))
    else p.resolve(p.badRow)
  }

  #fail(error: Error): void {
    this.#failure ??= error
    for (const p of this.#pending.values())
      p.reject(new WorkerFailedError('analysis: a worker failed', { cause: error }))
    this.#pending.clear()
  }
}
