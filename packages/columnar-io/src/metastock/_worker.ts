// Worker-thread entry of the MetaStock importer: decodes batches of data files into the shared output columns.
import type { OutColumns } from '../_out-columns.ts'
import { serveBatches } from '../worker-pool.ts'
import type { DecodeTask } from './_decode.ts'
import { decodeFiles } from './_read-files.ts'

serveBatches((_kind, tasks, out) => decodeFiles(tasks as DecodeTask[], out as OutColumns))
