// Worker thread entry: runs standard-analysis jobs over SharedArrayBuffer-backed columns, claiming chunks of
// symbols from a shared counter until none are left.
import { parentPort } from 'node:worker_threads'
import { analyzeSymbols, scratchFor } from './_analyze-range.ts'
import type { Scratch } from './_analyze-range.ts'
import type { WorkerJob, WorkerReply } from './_protocol.ts'

let scratch: Scratch | undefined
const port = parentPort!

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply
  try {
    scratch = scratchFor(job.maxRows, scratch)
    let badRow = -1
    for (;;) {
      const chunk = Atomics.add(job.counter, 0, 1)
      if (chunk >= job.chunks.length - 1) break
      const bad = analyzeSymbols(
        job.columns,
        job.starts,
        job.ends,
        job.chunks[chunk]!,
        job.chunks[chunk + 1]!,
        job.out,
        job.length,
        job.params,
        scratch,
      )
      if (bad >= 0 && (badRow < 0 || bad < badRow)) badRow = bad
    }
    reply = { id: job.id, badRow, error: null }
  } catch (error) {
    reply = { id: job.id, badRow: -1, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }
  }
  port.postMessage(reply)
})
port.postMessage({ id: -1, badRow: -1, error: null } satisfies WorkerReply)
