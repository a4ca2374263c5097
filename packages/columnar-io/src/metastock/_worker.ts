// Worker-thread entry of the MetaStock importer: decodes a batch of data files into the shared output columns.
import { parentPort } from 'node:worker_threads'
import type { OutColumns } from '../_out-columns.ts'
import type { DecodeTask } from './_decode.ts'
import { decodeFiles } from './_read-files.ts'

parentPort!.on('message', (msg: { tasks: DecodeTask[]; out: OutColumns }) => {
  try {
    parentPort!.postMessage({ ok: true, results: decodeFiles(msg.tasks, msg.out) })
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: { name: (error as Error).name, message: (error as Error).message } })
  }
})
