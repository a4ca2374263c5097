import { availableParallelism } from 'node:os'
import type { ImportMetaStockOptions, MetaStockResult } from '../types.ts'
import { WorkerPool } from '../worker-pool.ts'
import type { DecodeResult, DecodeTask } from './_decode.ts'
import { decodeFiles } from './_read-files.ts'
import { allocate, finish, outColumns, planImport } from './_plan.ts'

/** Below this many input bytes (and without an explicit `workers`) the calling thread decodes alone. */
const SMALL_IMPORT_BYTES = 4 << 20

/** The MetaStock decoders, kept across imports. */
const pool = new WorkerPool(new URL('./_worker.ts', import.meta.url), 'metastock')

/**
 * Imports MetaStock directories, by default with every directory below them, into one column table. Index files
 * are read on the calling thread; data files are decoded in parallel by a pool of worker threads straight into
 * SharedArrayBuffer columns preallocated from the file sizes. Problems never throw: files an index names that are
 * missing, files no index names, corrupt indexes, truncated files, header counts that disagree, invalid dates or
 * prices each become an issue naming the file (and offset), and the rest imports; skipped records leave no row.
 *
 * @param input - A directory, or several, to import.
 * @param options - Workers, recursion, 5-field layout, open interest, a table to fill.
 * @throws {@link MetaStockError} when an input is not a readable directory.
 * @example
 * const { table, issues } = await importMetaStock('data/metastock', { workers: 2 })
 */
export async function importMetaStock(
  input: string | readonly string[],
  options: ImportMetaStockOptions = {},
): Promise<MetaStockResult> {
  const workers = options.workers ?? Math.min(8, availableParallelism())
  if (!Number.isInteger(workers) || workers < 0) {
    throw new TypeError(
      `Expected \`workers\` to be an integer from 0 up, got \`${String(workers)}\` (${typeof workers})`,
    )
  }
  const plan = planImport(typeof input === 'string' ? [input] : input, options.recursive ?? true, options)
  let bytes = 0
  for (const f of plan.files) bytes += f.size
  // An explicit `workers` is obeyed; by default small imports stay on this thread.
  const parallel =
    workers > 0 && plan.tasks.length > 1 && (options.workers !== undefined || bytes >= SMALL_IMPORT_BYTES)
  const target = allocate(plan, options.shared ?? parallel, options.into)
  const out = outColumns(target, plan)
  // Workers need shared columns; a plain target (shared: false, or a plain `into`) is decoded here.
  const canShare = out.date.buffer instanceof SharedArrayBuffer
  const results =
    parallel && canShare
      ? await pool.run<DecodeTask, DecodeResult>(
          workers,
          'decode',
          plan.tasks,
          (t) => (t.capacity + 1) * t.fields * 4,
          Math.max(1 << 20, Math.ceil(bytes / (workers * 8))),
          out,
        )
      : decodeFiles(plan.tasks, out)
  return finish(plan, results, target)
}
