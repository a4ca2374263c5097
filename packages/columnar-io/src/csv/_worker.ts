// Worker-thread entry of the CSV importer: runs batches of scan or parse tasks and posts the results back.
import { parentPort } from 'node:worker_threads'
import { parseRange, scanRange, type ParseTask, type ScanTask } from './_jobs.ts'
import type { OutColumns } from '../_out-columns.ts'

interface Batch {
  kind: 'scan' | 'parse'
  tasks: unknown[]
  extra: unknown
}

parentPort!.on('message', (msg: Batch) => {
  try {
    const results =
      msg.kind === 'scan'
        ? (msg.tasks as ScanTask[]).map((t) => scanRange(t))
        : (msg.tasks as ParseTask[]).map((t) => parseRange(t, msg.extra as OutColumns))
    parentPort!.postMessage({ ok: true, results })
  } catch (e) {
    const err = e as Error
    parentPort!.postMessage({ ok: false, error: { message: err.message, name: err.name } })
  }
})
