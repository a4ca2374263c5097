// The one way this workspace starts worker threads (the CSV and MetaStock importers here, the analysis pool in
// @ttapi/analysis): a TypeScript entry runs from source through tsx's public ESM API (`tsx/esm/api` `register`,
// resolved through tsx's exports map), with a small young generation. `WorkerPool` is the importers' pool: workers
// started on first use, kept across calls and unref'd, batches of tasks pulled by whichever worker is free.
import { parentPort, Worker } from 'node:worker_threads'

/**
 * A worker running `entry`: a `.ts` entry through tsx (registered in the worker before the entry is imported), any
 * other file as it is.
 * @param entry - The worker's entry module.
 */
export function spawnWorker(entry: URL): Worker {
  // Jobs post SharedArrayBuffer-backed columns; a worker holds the last ones until its next collection, and these
  // workers allocate so little that with the default young generation that took about 40 CSV imports (2.5 GB held
  // for a 66 MB result). A 1 MB young generation collects every few jobs.
  const resourceLimits = { maxYoungGenerationSizeMb: 1 }
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { resourceLimits })
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(boot, { eval: true, resourceLimits })
}

/** A batch as `WorkerPool` posts it. */
interface Batch {
  kind: string
  tasks: unknown[]
  extra: unknown
}

/** A worker's answer to a batch. */
type Reply = { ok: true; results: unknown[] } | { ok: false; error: { name: string; message: string } }

/**
 * Worker side of a `WorkerPool`: answers each batch with `handle`'s results (one per task, in order), or the error
 * it threw.
 * @param handle - Runs one batch: its kind, tasks and the extra value sent with every batch.
 */
export function serveBatches(handle: (kind: string, tasks: unknown[], extra: unknown) => unknown[]): void {
  const port = parentPort
  if (port === null) throw new Error('serveBatches runs in a worker thread')
  port.on('message', (batch: Batch) => {
    let reply: Reply
    try {
      reply = { ok: true, results: handle(batch.kind, batch.tasks, batch.extra) }
    } catch (e) {
      const error = e as Error
      reply = { ok: false, error: { name: error.name, message: error.message } }
    }
    port.postMessage(reply)
  })
}

interface PoolWorker {
  worker: Worker
  pending: { resolve: (results: unknown[]) => void; reject: (error: Error) => void } | null
}

/**
 * Worker threads running one entry (which calls {@link serveBatches}), started on first use and kept for later
 * calls; idle workers are unref'd, so they never keep the process alive. Calls run one after another.
 * @example
 * const pool = new WorkerPool(new URL('./_worker.ts', import.meta.url), 'csv')
 * const results = await pool.run(2, 'scan', tasks, (t) => t.bytes, 8 << 20)
 */
export class WorkerPool {
  readonly #entry: URL
  readonly #name: string
  readonly #workers: PoolWorker[] = []
  #queue: Promise<unknown> = Promise.resolve()

  /**
   * @param entry - The workers' entry module.
   * @param name - The domain in error messages (`csv worker exited with code 1`).
   */
  constructor(entry: URL, name: string) {
    this.#entry = entry
    this.#name = name
  }

  /**
   * Runs `tasks` on up to `n` workers in batches of about `batchWeight` (by `weight`) and returns the results in task
   * order. `extra` goes with every batch (e.g. the shared output columns).
   * @param n - Workers to use, at most.
   * @param kind - What the worker should do with the batch.
   * @param tasks - The tasks.
   * @param weight - A task's share of a batch.
   * @param batchWeight - A batch's weight, about.
   * @param extra - Sent with every batch.
   */
  run<T, R>(
    n: number,
    kind: string,
    tasks: readonly T[],
    weight: (task: T) => number,
    batchWeight: number,
    extra?: unknown,
  ): Promise<R[]> {
    const run = this.#queue.then(() => this.#runNow<T, R>(n, kind, tasks, weight, batchWeight, extra))
    this.#queue = run.catch(() => undefined)
    return run
  }

  async #runNow<T, R>(
    n: number,
    kind: string,
    tasks: readonly T[],
    weight: (task: T) => number,
    batchWeight: number,
    extra: unknown,
  ): Promise<R[]> {
    const batches: { first: number; tasks: T[] }[] = []
    let cur: T[] = []
    let w = 0
    let first = 0
    tasks.forEach((t, i) => {
      if (cur.length > 0 && w + weight(t) > batchWeight) {
        batches.push({ first, tasks: cur })
        cur = []
        w = 0
        first = i
      }
      cur.push(t)
      w += weight(t)
    })
    if (cur.length > 0) batches.push({ first, tasks: cur })
    const count = Math.max(1, Math.min(n, batches.length))
    while (this.#workers.length < count) this.#workers.push(this.#spawn())
    const results = new Array<R>(tasks.length)
    let next = 0
    // After a failed batch no new batch starts, but the call settles only when every worker has answered its batch
    // in flight: a late answer must not be taken for the next call's.
    let failure: { error: unknown } | null = null
    await Promise.all(
      this.#workers.slice(0, count).map(async (pw) => {
        while (failure === null && next < batches.length) {
          const b = batches[next++]!
          try {
            const out = await this.#send(pw, { kind, tasks: b.tasks, extra })
            for (let i = 0; i < out.length; i++) results[b.first + i] = out[i] as R
          } catch (error) {
            failure ??= { error }
          }
        }
      }),
    )
    if (failure !== null) throw (failure as { error: unknown }).error
    return results
  }

  #spawn(): PoolWorker {
    const worker = spawnWorker(this.#entry)
    worker.unref()
    const pw: PoolWorker = { worker, pending: null }
    worker.on('message', (reply: Reply) => {
      const p = pw.pending
      pw.pending = null
      if (p === null) return
      if (reply.ok) p.resolve(reply.results)
      else {
        const e = new Error(reply.error.message)
        e.name = reply.error.name
        p.reject(e)
      }
    })
    // A worker that fails or exits leaves the pool (the next call spawns a fresh one) and fails its batch.
    const drop = (error: Error): void => {
      const at = this.#workers.indexOf(pw)
      if (at >= 0) this.#workers.splice(at, 1)
      const p = pw.pending
      pw.pending = null
      p?.reject(error)
    }
    worker.on('error', drop)
    worker.on('exit', (code) => drop(new Error(`${this.#name} worker exited with code ${code}`)))
    return pw
  }

  #send(pw: PoolWorker, batch: Batch): Promise<unknown[]> {
    return new Promise<unknown[]>((resolve, reject) => {
      pw.pending = { resolve, reject }
      pw.worker.ref()
      pw.worker.postMessage(batch)
    }).finally(() => pw.worker.unref())
  }
}
