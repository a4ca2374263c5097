// A small pool of worker threads running `_worker.ts` from source (tsx compiles it in the worker). Workers are kept
// for reuse and unref'd so they never keep the process alive. Batches of tasks go to whichever worker is free.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

interface Pending {
  resolve: (value: unknown[]) => void
  reject: (error: Error) => void
}

interface PoolWorker {
  worker: Worker
  pending: Pending | null
}

const WORKER_URL = new URL('./_worker.ts', import.meta.url).href

function tsxApiUrl(): string {
  const require = createRequire(import.meta.url)
  return pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
}

function spawn(): PoolWorker {
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((m) => m.tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(WORKER_URL)}))`
  // Every parse batch carries the output buffer; a worker holds it until its next collection, and a worker allocates
  // so little that with the default young generation that took about 40 imports (2.5 GB held for a 66 MB result).
  // A 1 MB young generation collects every few imports.
  const worker = new Worker(code, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1 } })
  worker.unref()
  const pw: PoolWorker = { worker, pending: null }
  worker.on('message', (msg: { ok: boolean; results?: unknown[]; error?: { message: string; name: string } }) => {
    const p = pw.pending
    pw.pending = null
    if (p === null) return
    if (msg.ok) p.resolve(msg.results ?? [])
    else {
      const e = new Error(msg.error?.message ?? 'worker failed')
      e.name = msg.error?.name ?? 'Error'
      p.reject(e)
    }
  })
  // A worker that fails or exits leaves the pool (the next import spawns a fresh one) and fails its batch.
  const drop = (error: Error): void => {
    const at = pool.indexOf(pw)
    if (at >= 0) pool.splice(at, 1)
    const p = pw.pending
    pw.pending = null
    p?.reject(error)
  }
  worker.on('error', drop)
  worker.on('exit', (code) => drop(new Error(`csv worker exited with code ${code}`)))
  return pw
}

const pool: PoolWorker[] = []

/** Ensures at least `n` workers exist and returns the first `n`. */
function workers(n: number): PoolWorker[] {
  while (pool.length < n) pool.push(spawn())
  return pool.slice(0, n)
}

function send(pw: PoolWorker, kind: string, tasks: unknown[], extra: unknown): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    pw.pending = { resolve, reject }
    pw.worker.ref()
    pw.worker.postMessage({ kind, tasks, extra })
  }).finally(() => pw.worker.unref()) as Promise<unknown[]>
}

/**
 * Runs `tasks` of `kind` on `n` workers, in batches of about `batchWeight` (by `weight`), and returns the results in
 * task order. `extra` goes with every batch (e.g. the shared output columns).
 */
export async function runOnWorkers<T, R>(
  n: number,
  kind: string,
  tasks: T[],
  weight: (task: T) => number,
  batchWeight: number,
  extra?: unknown,
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
  const results = new Array<R>(tasks.length)
  let next = 0
  const ws = workers(Math.max(1, Math.min(n, batches.length)))
  await Promise.all(
    ws.map(async (pw) => {
      while (next < batches.length) {
        const b = batches[next++]!
        const out = await send(pw, kind, b.tasks, extra)
        for (let i = 0; i < out.length; i++) results[b.first + i] = out[i] as R
      }
    }),
  )
  return results
}
