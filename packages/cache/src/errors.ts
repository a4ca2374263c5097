/**
 * Stable codes of every error this package throws. `TTAPI_CACHE_` rather than `CACHE_`: the cache's
 * warnings (`onWarning`, README) publish codes with this prefix, and the errors share it.
 */
export type CacheErrorCode = 'TTAPI_CACHE_INVALID_OPTION' | 'TTAPI_CACHE_SERIALIZE' | 'TTAPI_CACHE_WRITE'

/** Base class of every error this package throws; `code` is stable. */
export class CacheError extends Error {
  /** Stable machine-readable code. */
  readonly code: CacheErrorCode

  /**
   * @param code - Stable code.
   * @param message - What went wrong, starting with `cache:`.
   * @param options - `{ cause }` of the underlying error.
   */
  constructor(code: CacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CacheError'
    this.code = code
  }
}

/** An option or argument was invalid; the message names it and shows what was received. */
export class CacheOptionError extends CacheError {
  /**
   * @param message - Names the option and the received value.
   */
  constructor(message: string) {
    super('TTAPI_CACHE_INVALID_OPTION', message)
    this.name = 'CacheOptionError'
  }
}

/** A value could not be serialised (for example a function or a symbol inside it). */
export class CacheSerializeError extends CacheError {
  /**
   * @param message - Names the key and the reason.
   * @param options - `{ cause }` of the serialiser's error.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('TTAPI_CACHE_SERIALIZE', message, options)
    this.name = 'CacheSerializeError'
  }
}

/** A disk operation of a foreground call (`set`, `delete`, `clear`, `flush`) failed. */
export class CacheWriteError extends CacheError {
  /**
   * @param message - Names the file and the operation.
   * @param options - `{ cause }` of the file-system error.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super('TTAPI_CACHE_WRITE', message, options)
    this.name = 'CacheWriteError'
  }
}
