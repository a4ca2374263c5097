// Messages between AnalysisPool and its workers.
import type { AnalyzeColumns, AnalyzeParams } from './_analyze-range.ts'

/** One standard-analysis job; every array is SharedArrayBuffer-backed except the small `chunks`. */
export interface WorkerJob {
  id: number
  columns: AnalyzeColumns
  starts: Int32Array
  ends: Int32Array
  /** Chunk c covers result rows [chunks[c], chunks[c + 1]). */
  chunks: Int32Array
  /** counter[0] is the next chunk to claim (Atomics.add). */
  counter: Int32Array
  out: Float64Array
  length: number
  maxRows: number
  params: AnalyzeParams
}

/** A worker's answer; id -1 announces that the worker is ready. */
export interface WorkerReply {
  id: number
  badRow: number
  error: string | null
}
