/** Stable codes of every error `@ttapi/report` throws (a new code is added here). */
export type ReportErrorCode =
  | 'REPORT_AB'
  | 'REPORT_BAD_CHANGESET'
  | 'REPORT_BAD_CONFIG'
  | 'REPORT_BAD_IMPORT'
  | 'REPORT_BISECT'
  | 'REPORT_BAD_LINE'
  | 'REPORT_CHANGESET'
  | 'REPORT_COMPACT'
  | 'REPORT_ENV_MISMATCH'
  | 'REPORT_GIT'
  | 'REPORT_NO_HISTORY'
  | 'REPORT_NO_WORKSPACE'
  | 'REPORT_READ_FAILED'
  | 'REPORT_RUN_CONFLICT'
  | 'REPORT_UNKNOWN_RUN'
  | 'REPORT_USAGE'
  | GitHubErrorCode

/** Codes of {@link GitHubError}. */
export type GitHubErrorCode = 'GITHUB_PERMISSION' | 'GITHUB_NOT_FOUND' | 'GITHUB_RATE_LIMITED' | 'GITHUB_FAILED'

/** Base of every error the report raises; `code` is stable, the message names the input. */
export class ReportError extends Error {
  /** Stable machine-readable code, e.g. `REPORT_NO_HISTORY`. */
  readonly code: ReportErrorCode
  /**
   * @param code - Stable code.
   * @param message - One line beginning with the domain (`report:`, `github:`, `version-packages:`).
   * @param options - `{ cause }` of the underlying error.
   */
  constructor(code: ReportErrorCode, message: string, options?: { cause?: unknown }) {
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
  /**
   * @param code - One of the codes above.
   * @param message - Names the directory, file or line.
   * @param options - `{ cause }`.
   */
  constructor(
    code: 'REPORT_NO_HISTORY' | 'REPORT_BAD_LINE' | 'REPORT_RUN_CONFLICT' | 'REPORT_READ_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options)
    this.name = 'HistoryError'
  }
}

/** `report compact` could not write a month or it did not read back equal (`REPORT_COMPACT`); its NDJSON files are left as they are. */
export class CompactError extends ReportError {
  /**
   * @param message - Names the month's Parquet file and what went wrong.
   * @param options - `{ cause }`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_COMPACT', message, options)
    this.name = 'CompactError'
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
 * `report import` cannot read a tool's output (`REPORT_BAD_IMPORT`): the message names the file,
 * the format and the field, e.g. `report import: hyperfine.json (hyperfine): results[0].times: expected
 * an array of numbers, got "x"`. Nothing was appended.
 */
export class ImportError extends ReportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_BAD_IMPORT', message, options)
    this.name = 'ImportError'
  }
}

/** A GitHub API call failed: no token or permission, not found, rate limited, or another failure. */
export class GitHubError extends ReportError {
  /** HTTP status of the last answer, or null. */
  readonly status: number | null
  /**
   * @param code - `GITHUB_PERMISSION`, `GITHUB_NOT_FOUND`, `GITHUB_RATE_LIMITED` or `GITHUB_FAILED`.
   * @param message - Begins with `github:` and names the call.
   * @param options - `{ cause }` and the HTTP `status` (null when there was no answer).
   */
  constructor(code: GitHubErrorCode, message: string, options: { cause?: unknown; status?: number | null } = {}) {
    super(code, message, { cause: options.cause })
    this.name = 'GitHubError'
    this.status = options.status ?? null
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
