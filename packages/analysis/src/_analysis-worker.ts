// Worker thread entry: runs standard-analysis jobs over SharedArrayBuffer-backed columns, claiming row chunks
// from a shared counter until none are left.
import { parentPort } from 'node:worker_threads'
import { analyzeRows } from './_analyze-range.ts'
import type { WorkerJob, WorkerReply } from './_protocol.ts'

const port = parentPort!

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply
  try {
    let bad = -1
    for (;;) {
      const chunk = Atomics.add(job.counter, 0, 1)
      if (chunk >= job.chunks.length - 1) break
      const p = analyzeRows(job.columns, job.length, job.chunks[chunk]!, job.chunks[chunk + 1]!, job.target, job.params)
      if (p >= 0 && (bad < 0 || p < bad)) bad = p
    }
    reply = { id: job.id, badRow: bad, error: null }
  } catch (error) {
    reply = { id: job.id, badRow: -1, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  port.postMessage(reply)
})
port.postMessage({ id: -1, badRow: -1, error: null } satisfies WorkerReply)
