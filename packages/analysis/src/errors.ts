import type { AnalysisErrorCode } from './types.ts'

/** Base class of every error `@ttapi/analysis` throws; branch on `code`. */
export class AnalysisError extends Error {
  /** Stable machine-readable code. */
  readonly code: AnalysisErrorCode

  /**
   * @param code - the stable code
   * @param message - what went wrong, beginning with `analysis:`
   * @param options - `{ cause }` when another error led to this one
   */
  constructor(code: AnalysisErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AnalysisError'
    this.code = code
  }
}

/** An option had a value outside its documented domain. Thrown eagerly, before any work starts. */
export class InvalidOptionError extends AnalysisError {
  /** @param message - names the option and shows the received value */
  constructor(message: string) {
    super('ANALYSIS_INVALID_OPTION', message)
    this.name = 'InvalidOptionError'
  }
}

/** The input table breaks the contract (columns of unequal length, not sorted by symbol then date). */
export class InvalidTableError extends AnalysisError {
  /** @param message - names the row and what was wrong */
  constructor(message: string) {
    super('ANALYSIS_INVALID_TABLE', message)
    this.name = 'InvalidTableError'
  }
}

/** A worker thread failed or exited before finishing its share of the work. */
export class WorkerFailedError extends AnalysisError {
  /**
   * @param message - what the pool was doing
   * @param options - `{ cause }`: the worker's error
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('ANALYSIS_WORKER_FAILED', message, options)
    this.name = 'WorkerFailedError'
  }
}
