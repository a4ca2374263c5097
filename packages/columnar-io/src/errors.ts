/** Stable codes of every error @ttapi/columnar-io throws. */
export type ColumnarIoErrorCode =
  | 'COLUMNAR_CSV_FORMAT'
  | 'COLUMNAR_PARQUET_READ'
  | 'COLUMNAR_PARQUET_BUDGET'
  | 'COLUMNAR_ARROW_TABLE'
  | 'COLUMNAR_METASTOCK'
  | 'COLUMNAR_INVALID_OPTION'

/** Base of every error @ttapi/columnar-io throws; `code` is stable for callers to branch on. */
export class ColumnarIoError extends Error {
  /** Stable machine-readable code, e.g. `COLUMNAR_CSV_FORMAT`. */
  readonly code: ColumnarIoErrorCode
  /**
   * @param code - Stable code.
   * @param message - What went wrong, beginning with the format (`csv:`, `parquet:`, `metastock:`, `arrow:`).
   * @param options - `{ cause }` of the underlying error.
   */
  constructor(code: ColumnarIoErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ColumnarIoError'
    this.code = code
  }
}

/** A file that is not an OHLCV CSV at all (binary, empty, no recognisable header), or cannot be read. */
export class CsvFormatError extends ColumnarIoError {
  /** The file (or the name given for bytes). */
  readonly file: string
  constructor(message: string, file: string, options?: ErrorOptions) {
    super('COLUMNAR_CSV_FORMAT', message, options)
    this.name = 'CsvFormatError'
    this.file = file
  }
}

/** A Parquet file that cannot be read (not Parquet, corrupt, unsupported), naming the file and the problem. */
export class ParquetReadError extends ColumnarIoError {
  /** The file. */
  readonly file: string
  constructor(message: string, file: string, options?: ErrorOptions) {
    super('COLUMNAR_PARQUET_READ', message, options)
    this.name = 'ParquetReadError'
    this.file = file
  }
}

/** A Parquet file whose footer declares more decoded bytes than the reader's memory budget; refused before decoding. */
export class ParquetBudgetError extends ColumnarIoError {
  /** The file. */
  readonly file: string
  /** The column with the most declared bytes. */
  readonly column: string
  /** Uncompressed bytes the footer declares for that column, summed over its row groups. */
  readonly declaredBytes: number
  /** The budget it was held to (`maxDecodedBytes`). */
  readonly budget: number
  constructor(message: string, file: string, column: string, declaredBytes: number, budget: number) {
    super('COLUMNAR_PARQUET_BUDGET', message)
    this.name = 'ParquetBudgetError'
    this.file = file
    this.column = column
    this.declaredBytes = declaredBytes
    this.budget = budget
  }
}

/** An Arrow table that cannot become a column table: a required column is missing or has an unusable type. */
export class ArrowTableError extends ColumnarIoError {
  /** The column at fault. */
  readonly column: string
  constructor(message: string, column: string, options?: ErrorOptions) {
    super('COLUMNAR_ARROW_TABLE', message, options)
    this.name = 'ArrowTableError'
    this.column = column
  }
}

/** A MetaStock input that cannot be imported at all (not a directory, unreadable); problems inside it are issues. */
export class MetaStockError extends ColumnarIoError {
  /** The path at fault. */
  readonly path: string
  constructor(message: string, path: string, options?: ErrorOptions) {
    super('COLUMNAR_METASTOCK', message, options)
    this.name = 'MetaStockError'
    this.path = path
  }
}
