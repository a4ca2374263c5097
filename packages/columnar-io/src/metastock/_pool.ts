// A small pool of worker threads running `_worker.ts` from source (tsx compiles it in the worker). Workers are
// created on first use, kept for later imports and unref'd so they never keep the process alive.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { OutColumns } from '../_out-columns.ts'
import type { DecodeResult, DecodeTask } from './_decode.ts'

interface PoolWorker {
  worker: Worker
  pending: { resolve: (r: DecodeResult[]) => void; reject: (e: Error) => void } | null
}

const WORKER_URL = new URL('./_worker.ts', import.meta.url).href

function tsxApiUrl(): string {
  const require = createRequire(import.meta.url)
  return pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
}

const pool: PoolWorker[] = []

function spawn(): PoolWorker {
  const code = `import(${JSON.stringify(tsxApiUrl())}).then((m) => m.tsImport(${JSON.stringify(WORKER_URL)}, ${JSON.stringify(WORKER_URL)}))`
  const worker = new Worker(code, { eval: true })
  worker.unref()
  const pw: PoolWorker = { worker, pending: null }
  worker.on('message', (msg: { ok: boolean; results?: DecodeResult[]; error?: { name: string; message: string } }) => {
    const p = pw.pending
    pw.pending = null
    if (p === null) return
    if (msg.ok) p.resolve(msg.results ?? [])
    else {
      const e = new Error(msg.error?.message ?? 'metastock worker failed')
      e.name = msg.error?.name ?? 'Error'
      p.reject(e)
    }
  })
  const fail = (error: Error): void => {
    const i = pool.indexOf(pw)
    if (i >= 0) pool.splice(i, 1)
    const p = pw.pending
    pw.pending = null
    p?.reject(error)
  }
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`metastock worker exited with code ${code}`)))
  return pw
}

function send(pw: PoolWorker, tasks: DecodeTask[], out: OutColumns): Promise<DecodeResult[]> {
  return new Promise<DecodeResult[]>((resolve, reject) => {
    pw.pending = { resolve, reject }
    pw.worker.ref()
    pw.worker.postMessage({ tasks, out })
  }).finally(() => pw.worker.unref())
}

/** The import in progress: imports share the pool one at a time (a worker serves one batch at a time). */
let queue: Promise<unknown> = Promise.resolve()

/**
 * Decodes `tasks` on `n` workers in batches of about `batchBytes` of input, pulled by whichever worker is free;
 * results come back in task order. Concurrent calls run one after another.
 */
export function decodeOnWorkers(
  n: number,
  tasks: readonly DecodeTask[],
  sizes: readonly number[],
  batchBytes: number,
  out: OutColumns,
): Promise<DecodeResult[]> {
  const run = queue.then(() => decodeNow(n, tasks, sizes, batchBytes, out))
  queue = run.catch(() => undefined)
  return run
}

async function decodeNow(
  n: number,
  tasks: readonly DecodeTask[],
  sizes: readonly number[],
  batchBytes: number,
  out: OutColumns,
): Promise<DecodeResult[]> {
  const batches: { first: number; tasks: DecodeTask[] }[] = []
  let cur: DecodeTask[] = []
  let bytes = 0
  let first = 0
  tasks.forEach((t, i) => {
    if (cur.length > 0 && bytes + sizes[i]! > batchBytes) {
      batches.push({ first, tasks: cur })
      cur = []
      bytes = 0
      first = i
    }
    cur.push(t)
    bytes += sizes[i]!
  })
  if (cur.length > 0) batches.push({ first, tasks: cur })
  const count = Math.max(1, Math.min(n, batches.length))
  while (pool.length < count) pool.push(spawn())
  const ws = pool.slice(0, count)
  const results = new Array<DecodeResult>(tasks.length)
  let next = 0
  await Promise.all(
    ws.map(async (pw) => {
      while (next < batches.length) {
        const b = batches[next++]!
        const got = await send(pw, b.tasks, out)
        for (let i = 0; i < got.length; i++) results[b.first + i] = got[i]!
      }
    }),
  )
  return results
}
