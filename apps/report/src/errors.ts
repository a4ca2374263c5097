/** Base of every error the report raises; `code` is stable, the message names the input. */
export class ReportError extends Error {
  /** Stable machine-readable code, e.g. `REPORT_NO_HISTORY`. */
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ReportError'
    this.code = code
  }
}

/**
 * The history cannot be used: `REPORT_NO_HISTORY` (missing or empty directory), `REPORT_BAD_LINE`
 * (a bad line under `strict`), `REPORT_RUN_CONFLICT` (one run id with differing metadata),
 * `REPORT_READ_FAILED` (DuckDB could not read the files).
 */
export class HistoryError extends ReportError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'HistoryError'
  }
}

/** A `--baseline` / `--current` selector matched no run (`REPORT_UNKNOWN_RUN`). */
export class SelectorError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_UNKNOWN_RUN', message, options)
    this.name = 'SelectorError'
  }
}

/** The config file is unreadable or invalid (`REPORT_BAD_CONFIG`). */
export class ConfigError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_BAD_CONFIG', message, options)
    this.name = 'ConfigError'
  }
}

/** The fingerprints differ and `--strict-env` was given (`REPORT_ENV_MISMATCH`). */
export class EnvMismatchError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_ENV_MISMATCH', message, options)
    this.name = 'EnvMismatchError'
  }
}

/** A command-line mistake: unknown option, missing value (`REPORT_USAGE`). */
export class UsageError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_USAGE', message, options)
    this.name = 'UsageError'
  }
}

/**
 * The one line a CLI prints for an error it did not expect (a bug): `report: internal error: <message>`,
 * the stack trace only when `TTAPI_DEBUG=1`. The CLI exits 1.
 * @param cli - the command's name.
 * @param error - what was thrown.
 */
export function internalError(cli: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const stack =
    process.env.TTAPI_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : ' (TTAPI_DEBUG=1 shows the stack)'
  return `${cli}: internal error: ${message.split('\n')[0]}${stack}\n`
}
