// Worker-thread entry of the CSV importer: runs batches of scan or parse tasks (see `WorkerPool`).
import type { OutColumns } from '../_out-columns.ts'
import { serveBatches } from '../worker-pool.ts'
import { parseRange, scanRange, type ParseTask, type ScanTask } from './_jobs.ts'

serveBatches((kind, tasks, extra) =>
  kind === 'scan'
    ? (tasks as ScanTask[]).map((t) => scanRange(t))
    : (tasks as ParseTask[]).map((t) => parseRange(t, extra as OutColumns)),
)
