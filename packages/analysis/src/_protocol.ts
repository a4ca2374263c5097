// Messages between AnalysisPool and its workers.
import type { AnalyzeColumns, AnalyzeParams, AnalyzeTarget } from './_analyze-range.ts'

/** One standard-analysis job; every array is SharedArrayBuffer-backed except the small `chunks`. */
export interface WorkerJob {
  id: number
  columns: AnalyzeColumns
  /** Table rows. */
  length: number
  /** Chunk c covers the symbols starting in rows [chunks[c], chunks[c + 1]). */
  chunks: Int32Array
  /** counter[0] is the next chunk to claim (Atomics.add). */
  counter: Int32Array
  target: AnalyzeTarget
  params: AnalyzeParams
}

/** A worker's answer; id -1 announces that the worker is ready. badRow is the encoded problem (row * 4 + kind). */
export interface WorkerReply {
  id: number
  badRow: number
  error: string | null
}
