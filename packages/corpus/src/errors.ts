/** Stable codes of every error this package throws. */
export type CorpusErrorCode = 'CORPUS_USAGE' | 'CORPUS_MANIFEST' | 'CORPUS_DOWNLOAD' | 'CORPUS_CHECKSUM'

/** Base class of every error `@ttapi/corpus` throws; branch on `code`. */
export class CorpusError extends Error {
  /** Stable machine-readable code. */
  readonly code: CorpusErrorCode

  /**
   * @param message - what went wrong, beginning with `corpus:`
   * @param code - the stable code
   * @param options - `{ cause }` when another error led to this one
   */
  constructor(message: string, code: CorpusErrorCode, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CorpusError'
    this.code = code
  }
}

/** A flag or option had a value outside its domain (CLI exit 2). */
export class CorpusUsageError extends CorpusError {
  /** @param message - names the flag or option and the received value */
  constructor(message: string) {
    super(message, 'CORPUS_USAGE')
    this.name = 'CorpusUsageError'
  }
}

/** The manifest file is missing or not a valid manifest (CLI exit 2). */
export class CorpusManifestError extends CorpusError {
  /**
   * @param message - names the manifest file and the problem
   * @param options - `{ cause }`: the read or parse error
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'CORPUS_MANIFEST', options)
    this.name = 'CorpusManifestError'
  }
}

/** A file could not be fetched (HTTP status, connection) after every attempt (CLI exit 1). */
export class CorpusDownloadError extends CorpusError {
  /**
   * @param message - names the file, the URL and the problem
   * @param options - `{ cause }`: the network error
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'CORPUS_DOWNLOAD', options)
    this.name = 'CorpusDownloadError'
  }
}

/** A downloaded file's SHA-256 or size is not the manifest's; nothing was placed at its path (CLI exit 1). */
export class CorpusChecksumError extends CorpusError {
  /** @param message - names the file, the expected and the computed SHA-256 */
  constructor(message: string) {
    super(message, 'CORPUS_CHECKSUM')
    this.name = 'CorpusChecksumError'
  }
}
