/** Stable codes of every error this package throws. */
export type PipelineErrorCode =
  | 'PIPELINE_USAGE'
  | 'PIPELINE_DATA_DIR'
  | 'PIPELINE_UNIVERSE'
  | 'PIPELINE_SOURCE'
  | 'PIPELINE_CACHE'
  | 'PIPELINE_INTERNAL'

/** Base of every error of `@ttapi/pipeline`: a stable `code`, the cause linked. */
export class PipelineError extends Error {
  /** Stable machine-readable code. */
  readonly code: PipelineErrorCode
  /**
   * @param message - Human-readable message, starting with the domain (`pipeline:`, `ttapi run:`).
   * @param code - Stable code.
   * @param options - `{ cause }`.
   */
  constructor(message: string, code: PipelineErrorCode = 'PIPELINE_INTERNAL', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PipelineError'
    this.code = code
  }
}

/** A command line the CLI cannot run: unknown command or option, bad value. Exit code 2. */
export class UsageError extends PipelineError {
  /** The command whose help should be printed with the message (`null`: the top-level help). */
  readonly command: string | null
  /**
   * @param message - One line naming the option and what was received.
   * @param command - The command whose help applies.
   */
  constructor(message: string, command: string | null) {
    super(message, 'PIPELINE_USAGE')
    this.name = 'UsageError'
    this.command = command
  }
}

/** The data directory is missing, unreadable, or holds no history the importers understand. */
export class DataDirError extends PipelineError {
  /**
   * @param message - Names the directory and what was wrong.
   * @param options - `{ cause }`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'PIPELINE_DATA_DIR', options)
    this.name = 'DataDirError'
  }
}

/** The symbol universe cannot be read (missing file, CSV without a Symbol column, no valid symbol). */
export class UniverseError extends PipelineError {
  /**
   * @param message - Names the universe and what was wrong.
   * @param options - `{ cause }`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'PIPELINE_UNIVERSE', options)
    this.name = 'UniverseError'
  }
}

/** The quote source could not be started or reached at all. */
export class SourceError extends PipelineError {
  /**
   * @param message - Names the source and what was wrong.
   * @param options - `{ cause }`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'PIPELINE_SOURCE', options)
    this.name = 'SourceError'
  }
}
