import type { ImportedSummary } from '@ttapi/bench'
import type { ReadContext } from './_fields.ts'

/** One benchmark as a format reader found it, before it becomes a record. */
export interface ParsedCase {
  /** The tool's group (file, family, package), made the suite name; null for the format's default. */
  group: string | null
  /** The tool's name of the benchmark, made the case name. */
  name: string
  /** The tool's samples in ms per op, in measured order; null when it kept only statistics. */
  samplesMs: number[] | null
  /** The tool's statistics when `samplesMs` is null. */
  summary: ImportedSummary | null
}

/** What a format reader found in one file (or criterion folder). */
export interface ParsedFile {
  /** The tool and its version where the file says, else null. */
  tool: string | null
  /** The benchmarks, in file order. */
  cases: ParsedCase[]
}

/** Reads one tool's output: throws an ImportError naming the file, the format and the field. */
export type FormatReader = (ctx: ReadContext) => ParsedFile
