import type { MetaStockResult, ReadMetaStockOptions } from '../types.ts'
import { decodeFiles } from './_read-files.ts'
import { allocate, finish, outColumns, planImport } from './_plan.ts'

/**
 * Reads one MetaStock directory on the calling thread (no subdirectories): MASTER / EMASTER / XMASTER (any case)
 * and the `F<n>.DAT` / `F<n>.MWD` files they name. Problems never throw: each is an issue and the rest imports.
 *
 * @param dir - The directory.
 * @param options - 5-field layout, open interest, shared buffers, a table to fill.
 * @throws {@link MetaStockError} when `dir` is not a readable directory.
 * @example
 * const { table, issues, files } = readMetaStock('data/metastock')
 */
export function readMetaStock(dir: string, options: ReadMetaStockOptions = {}): MetaStockResult {
  const plan = planImport([dir], false, options)
  const target = allocate(plan, options.shared ?? false, options.into)
  return finish(plan, decodeFiles(plan.tasks, outColumns(target, plan)), target)
}
