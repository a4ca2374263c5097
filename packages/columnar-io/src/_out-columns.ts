// The columns the importers' hot loops write into (CSV parse, MetaStock decode), on the calling thread or a worker.
import type { ColumnTable } from './types.ts'

/** Output columns: views of a whole output table (often SharedArrayBuffer-backed), written at rows chosen by a task. */
export type OutColumns = Omit<ColumnTable, 'length' | 'symbols'>
