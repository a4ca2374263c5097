/** Stable codes of {@link BenchError}. */
export type BenchErrorCode = 'BENCH_USAGE' | 'BENCH_SUITE' | 'BENCH_RECORD' | 'BENCH_LOCK'

/** Base error of `@ttapi/bench`; `code` is stable, callers branch on it. */
export class BenchError extends Error {
  /** Stable machine-readable code. */
  readonly code: BenchErrorCode
  /**
   * @param code - Stable code.
   * @param message - Human message beginning with `bench:`.
   * @param options - `cause` of the error.
   */
  constructor(code: BenchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BenchError'
    this.code = code
  }
}

/** A user mistake on the command line (bad flag, profile or label): one line, exit code 2. */
export class BenchUsageError extends BenchError {
  /** @param message - What was wrong and what was received. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('BENCH_USAGE', message, options)
    this.name = 'BenchUsageError'
  }
}

/** A suite definition that breaks the rules (bad names, duplicate cases, missing `fn`). */
export class BenchSuiteError extends BenchError {
  /** @param message - What was wrong and what was received. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('BENCH_SUITE', message, options)
    this.name = 'BenchSuiteError'
  }
}

/** A result record that does not match the schema; it is never appended. */
export class BenchRecordError extends BenchError {
  /** Schema violations, one per entry. */
  readonly errors: string[]
  /**
   * @param message - Summary.
   * @param errors - Schema violations.
   */
  constructor(message: string, errors: string[]) {
    super('BENCH_RECORD', message)
    this.name = 'BenchRecordError'
    this.errors = errors
  }
}

/** The machine-wide lock could not be taken (timeout) or released. */
export class BenchLockError extends BenchError {
  /** @param message - Which lock and why. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('BENCH_LOCK', message, options)
    this.name = 'BenchLockError'
  }
}
