// Errors of @ttapi/pipeline. Expected failures of a run (an unreachable source, failed symbols, a bad data directory,
// a stale or corrupt cache) are data in the run's summary, not throws; what is thrown is a bad command line
// (`PIPELINE_USAGE`) or a directory the user named that cannot be written (`PIPELINE_INPUT`), both exit 2.

/** Stable codes of every error this package throws. */
export type PipelineErrorCode = 'PIPELINE_USAGE' | 'PIPELINE_INPUT' | 'PIPELINE_INTERNAL'

/** Base of every error of `@ttapi/pipeline`: a stable `code`, the cause linked. */
export class PipelineError extends Error {
  /** Stable machine-readable code. */
  readonly code: PipelineErrorCode
  /**
   * @param code - Stable code.
   * @param message - Human-readable message, starting with the domain (`ttapi run:`).
   * @param options - `{ cause }`.
   */
  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PipelineError'
    this.code = code
  }
}

/** A command line the CLI cannot run: unknown command or option, bad value. Exit code 2. */
export class UsageError extends PipelineError {
  /** The command whose help should be printed with the message (`null`: the top-level help). */
  readonly command: string | null
  /** Whether the help follows the message (not for a path that is missing or cannot be written). */
  readonly help: boolean
  /**
   * @param message - One line naming the option and what was received.
   * @param command - The command whose help applies.
   * @param options - `help: false` prints the line alone. @default `{ help: true }`
   */
  constructor(message: string, command: string | null, options: { help?: boolean } = {}) {
    super('PIPELINE_USAGE', message)
    this.name = 'UsageError'
    this.command = command
    this.help = options.help ?? true
  }
}
