/** Stable codes of every error this package throws. */
export type CollectorErrorCode =
  'COLLECTOR_INVALID_OPTION' | 'COLLECTOR_SYMBOL_FILE' | 'COLLECTOR_MALFORMED_RESPONSE' | 'COLLECTOR_QUOTE_SERVER'

/** Base class of every error `@ttapi/collector` throws; branch on `code`. */
export class CollectorError extends Error {
  /** Stable machine-readable code. */
  readonly code: CollectorErrorCode

  /**
   * @param code - the stable code
   * @param message - what went wrong, beginning with `collector:`
   * @param options - `{ cause }` when another error led to this one
   */
  constructor(code: CollectorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CollectorError'
    this.code = code
  }
}

/** An option had a value outside its documented domain. Thrown eagerly, before any request is made. */
export class InvalidOptionError extends CollectorError {
  /** @param message - names the option and shows the received value */
  constructor(message: string) {
    super('COLLECTOR_INVALID_OPTION', message)
    this.name = 'InvalidOptionError'
  }
}

/** A symbol file could not be read, or is a CSV without a `Symbol` column. */
export class SymbolFileError extends CollectorError {
  /**
   * @param message - names the file and what was wrong
   * @param options - `{ cause }`: the file-system error, when there was one
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('COLLECTOR_SYMBOL_FILE', message, options)
    this.name = 'SymbolFileError'
  }
}

/**
 * A response body does not have the format's shape. Thrown by `QuoteFormat.parse`; the collector turns it into a
 * `malformed` failure for every symbol of that request, never a crash.
 */
export class MalformedResponseError extends CollectorError {
  /**
   * @param message - what was expected and what was found
   * @param options - `{ cause }`: e.g. the `JSON.parse` error
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('COLLECTOR_MALFORMED_RESPONSE', message, options)
    this.name = 'MalformedResponseError'
  }
}

/** The quote server child process failed to start or exited unexpectedly. */
export class QuoteServerError extends CollectorError {
  /**
   * @param message - what the process did (exit code, stderr excerpt)
   * @param options - `{ cause }`: the spawn error, when there was one
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('COLLECTOR_QUOTE_SERVER', message, options)
    this.name = 'QuoteServerError'
  }
}
