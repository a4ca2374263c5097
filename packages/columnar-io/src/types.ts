import type { DateDay, Dictionary, Float64, Int32, Table, Utf8 } from 'apache-arrow'

/**
 * The OHLCV column table every package shares. Row i is (symbols[symbol[i]], date[i], open[i], ...).
 * Columns may be backed by SharedArrayBuffer so worker threads read them without copying.
 */
export interface ColumnTable {
  /** Number of rows. */
  length: number
  /** The symbol dictionary: `symbol[i]` indexes into it. */
  symbols: string[]
  /** Dictionary code of each row's symbol. */
  symbol: Int32Array
  /** Trading day of each row, as whole days since 1970-01-01 (UTC). */
  date: Int32Array
  /** Opening price of each row. */
  open: Float64Array
  /** Highest price of each row. */
  high: Float64Array
  /** Lowest price of each row. */
  low: Float64Array
  /** Closing price of each row. */
  close: Float64Array
  /** Volume of each row. */
  volume: Float64Array
  /** Open interest, when the source has it; null otherwise. */
  openInterest: Float64Array | null
}

/** A CSV record that was skipped, and why. */
export interface CsvIssue {
  /** The file (or the `name` given for bytes). */
  file: string
  /** 1-based line of the record; the header is line 1. */
  line: number
  /** What was wrong, e.g. `open is not a number`. */
  message: string
}

/** Date layouts the CSV reader understands: `iso` YYYY-MM-DD, `us` MM/DD/YYYY, `dmy` DD/MM/YYYY, `compact` YYYYMMDD. */
export type CsvDateFormat = 'iso' | 'us' | 'dmy' | 'compact'

/** Options of `readCsv`, `importCsv` and `streamCsv`. */
export interface ReadCsvOptions {
  /** Symbol for files without a symbol column. @default the file name up to its first `_` or `.` extension (`AAPL_data.csv` → `AAPL`) */
  symbol?: string
  /** Field delimiter. @default detected from the header: comma, semicolon, tab or pipe */
  delimiter?: string
  /** Date layout. @default detected from the first data rows */
  dateFormat?: CsvDateFormat
  /** Take `Adj Close` as the close column (and ignore `Close`). @default false */
  adjustedClose?: boolean
  /** Name used in issues and errors when the input is bytes. @default `<bytes>` */
  name?: string
}

/** Options of `importCsv`. */
export interface ImportCsvOptions extends ReadCsvOptions {
  /** Worker threads to parse with; 0 parses on the calling thread. @default os.availableParallelism() (at most 8) */
  workers?: number
  /** Files larger than this are split at line boundaries into parts parsed in parallel. @default 16 MiB */
  chunkBytes?: number
  /** Put the columns in SharedArrayBuffers (workers always do). @default true when workers are used */
  shared?: boolean
}

/** Options of `streamCsv`. */
export interface StreamCsvOptions extends ReadCsvOptions {
  /** Bytes read per step; memory stays within a few times this. @default 4 MiB */
  batchBytes?: number
}

/** What a CSV import returns: the rows that parsed, and one issue per skipped record. */
export interface CsvResult {
  /** The parsed rows, in file order. */
  table: ColumnTable
  /** Skipped records. */
  issues: CsvIssue[]
}

/** Parquet compression codecs `writeParquet` can use. */
export type ParquetCompression = 'none' | 'snappy' | 'zstd'

/** Options of `writeParquet`. */
export interface WriteParquetOptions {
  /** Page compression. @default 'snappy' */
  compression?: ParquetCompression
  /** Rows per row group (one page per column per row group). @default 1_048_576 */
  rowGroupRows?: number
  /** zstd level, 1-22. @default 1 */
  zstdLevel?: number
  /**
   * Told each stored byte range as it is written, with its file offset: every page header, every page as stored
   * (compressed), and the footer with its length and magic — what `readParquet`'s `onBytes` reports for the same
   * file, so a checksum of a file can be computed as it is written and checked as it is read.
   */
  onBytes?: ((offset: number, bytes: Uint8Array) => void) | undefined
}

/** Options of `readParquet`. */
export interface ReadParquetOptions {
  /** A table to load into (reusing its columns) when their capacity is enough; its `length` is ignored. */
  into?: ColumnTable
  /** Put new columns in SharedArrayBuffers. @default false */
  shared?: boolean
  /**
   * Told each stored byte range right after it is read (still in the CPU cache), with its file offset: the footer
   * with its length and magic, then on the fast path every page header and every page as stored; the same ranges
   * `writeParquet`'s `onBytes` reports. A file read through hyparquet reports its footer only. The bytes may be a
   * view of the table's columns: read them during the call, do not keep them.
   */
  onBytes?: ((offset: number, bytes: Uint8Array) => void) | undefined
}

/** Options of `writeCsv`. */
export interface WriteCsvOptions {
  /** Field delimiter. @default ',' */
  delimiter?: string
  /** End lines with CRLF instead of LF. @default false */
  crlf?: boolean
}

/** Options of `createColumnTable`. */
export interface CreateColumnTableOptions {
  /** Put each column in a SharedArrayBuffer so worker threads read it without copying. @default false */
  shared?: boolean
  /** Add an open-interest column. @default false */
  openInterest?: boolean
  /** The symbol dictionary (copied). @default [] */
  symbols?: readonly string[]
}

/** Row ranges of a table's symbol runs: rows `[starts[k], ends[k])` all have code `codes[k]`. */
export interface SymbolRanges {
  /** Dictionary code of each run. */
  codes: Int32Array
  /** First row of each run. */
  starts: Int32Array
  /** One past the last row of each run. */
  ends: Int32Array
}

/** Options of `syntheticMarket`. */
export interface SyntheticMarketOptions {
  /** Seed of the market: the same seed gives the same bars. @default 42 */
  seed?: number
  /** A number of symbols (named `S0001`, `S0002`, …) or the symbol names. */
  symbols: number | readonly string[]
  /** Trading days (weekdays) per symbol, ending at `endDate`. */
  days: number
  /** Last calendar day, as days since 1970-01-01; a weekend steps back to the Friday before. @default 20756 (2026-10-30) */
  endDate?: number
  /** Put the columns in SharedArrayBuffers. @default false */
  shared?: boolean
}

/** One symbol's daily bars, oldest first. */
export interface SyntheticBars {
  /** Trading day of each bar, as days since 1970-01-01. */
  date: Int32Array
  /** Opening price. */
  open: Float64Array
  /** Highest price; at least max(open, close). */
  high: Float64Array
  /** Lowest price; at most min(open, close), above 0. */
  low: Float64Array
  /** Closing price. */
  close: Float64Array
  /** Shares traded; a whole number above 0. */
  volume: Float64Array
}

/** Options of `readParquetArrow`. */
export interface ReadParquetArrowOptions {
  /**
   * Most uncompressed bytes the file's footer may declare over all its column chunks; a file declaring more is refused
   * with `ParquetBudgetError` before anything is decoded (decoding takes about three times this in memory).
   * @default 1073741824 (1 GiB)
   */
  maxDecodedBytes?: number
}

/** The decoder that produced a `readParquetArrow` table. */
export type ParquetArrowDecoder = 'parquet-wasm' | 'hyparquet'

/** Result of `readParquetArrow`. */
export interface ReadParquetArrowResult {
  /** The file's rows with its own schema. */
  table: Table
  /** `parquet-wasm` (arrow-rs), or `hyparquet` when arrow-rs could not decode the file and hyparquet could. */
  decoder: ParquetArrowDecoder
  /** Why parquet-wasm was not used, when `decoder` is `hyparquet`. */
  fallbackReason?: string
}

/** Options of `fromArrowTable`. */
export interface FromArrowTableOptions {
  /** Symbol of every row when the table has no `symbol` column. */
  symbol?: string
  /** Put the columns in SharedArrayBuffers (copying those that are not). @default false */
  shared?: boolean
}

/** The Arrow schema of a column table: symbol, date, open, high, low, close, volume and, when present, openInterest. */
export type ArrowColumnTable = Table<{
  symbol: Dictionary<Utf8, Int32>
  date: DateDay
  open: Float64
  high: Float64
  low: Float64
  close: Float64
  volume: Float64
  openInterest: Float64
}>

/** What kind of problem a MetaStock import met; every one is reported and the rest of the import goes on. */
export type MetaStockIssueCode =
  /** An index names a data file that is not in the directory. */
  | 'missing-file'
  /** A data file is in the directory but no index names it (it is not imported: nothing says its symbol or fields). */
  | 'unindexed-file'
  /** An index file or one of its records is damaged (bad size, count, file number, field count or symbol). */
  | 'corrupt-index'
  /** EMASTER disagrees with MASTER about the same files (MASTER is used). */
  | 'index-conflict'
  /** A data file ends inside a record, or is shorter than its header record (the partial record is dropped). */
  | 'truncated-file'
  /** A data file's header record count disagrees with its size (the rows the file holds are imported). */
  | 'count-mismatch'
  /** Records whose date is not a valid calendar date (those records are skipped). */
  | 'bad-date'
  /** Records with a negative or implausible price, volume or open interest (those records are skipped). */
  | 'bad-value'
  /** A file could not be read at all. */
  | 'unreadable'

/** One problem met while importing MetaStock data. */
export interface MetaStockIssue {
  /** Path of the file at fault (for a missing file, the path it was expected at). */
  file: string
  /** Byte offset in the file where the problem starts, when there is one. */
  offset?: number
  /** Kind of problem. */
  code: MetaStockIssueCode
  /** What was wrong, with the numbers, e.g. `metastock: F12.DAT holds 130 records but its header says 131`. */
  message: string
}

/** One imported MetaStock security (data file) and what was read from it. */
export interface MetaStockFileInfo {
  /** Path of the data file. */
  file: string
  /** Index the security came from. */
  index: 'MASTER' | 'EMASTER' | 'XMASTER'
  /** File number n of `F<n>.DAT` / `F<n>.MWD`. */
  fileNumber: number
  /** Symbol, NUL and space padding stripped. */
  symbol: string
  /** Security name (EMASTER's long name when it has one). */
  name: string
  /** Fields per record, 5 to 8. */
  fields: number
  /** Periodicity letter: `D`, `W`, `M`, `I` (intraday), …. */
  periodicity: string
  /** Rows imported. */
  rows: number
  /** First row of this file in the result table. */
  start: number
  /** Date of the first and last imported rows (days since 1970-01-01), or null without rows. */
  firstDate: number | null
  /** See `firstDate`. */
  lastDate: number | null
}

/** Meaning of the fields of a 5-field data file, on which readers disagree (FORMAT.md §5). */
export type MetaStockFiveFields = 'date-high-low-close-volume' | 'date-open-high-low-close'

/** Options of `readMetaStock` and `importMetaStock`. */
export interface ReadMetaStockOptions {
  /** Fields of 5-field files; the missing column reads NaN. @default 'date-high-low-close-volume' (MetaStock.txt `ctdata5`) */
  fiveFields?: MetaStockFiveFields
  /** Include an open-interest column when any file has one (7 or 8 fields). @default true */
  openInterest?: boolean
  /** Put the columns in SharedArrayBuffers. @default true with workers, false without */
  shared?: boolean
  /**
   * A table whose columns to fill (reused across imports to avoid allocating fresh memory), when large enough and, with
   * workers, shared; the result views its buffers.
   */
  into?: ColumnTable
}

/** Options of `importMetaStock`. */
export interface ImportMetaStockOptions extends ReadMetaStockOptions {
  /** Also import every directory below the given one(s). @default true */
  recursive?: boolean
  /** Worker threads decoding data files; 0 decodes on the calling thread. @default os.availableParallelism() (at most 8), used for imports of 4 MiB or more */
  workers?: number
}

/** What a MetaStock import returns. */
export interface MetaStockResult {
  /** Every valid record, directory by directory, each directory's securities in file-number order. */
  table: ColumnTable
  /** Every problem met; never thrown. */
  issues: MetaStockIssue[]
  /** The securities imported, in table order. */
  files: MetaStockFileInfo[]
}

/** Options of `writeMetaStock`. */
export interface WriteMetaStockOptions {
  /** Fields per record: 5 (date, high, low, close, volume), 6 (+ open), 7 (+ open interest), 8 (date, time, …). @default 7 with open interest, else 6 */
  fields?: 5 | 6 | 7 | 8
  /** Security names by symbol (MASTER keeps 16 characters, EMASTER 53). @default the symbol */
  names?: Readonly<Record<string, string>>
}

/** What `writeMetaStock` wrote. */
export interface WriteMetaStockResult {
  /** Securities written (one data file each). */
  securities: number
  /** Rows written. */
  rows: number
  /** Bytes written, index files included. */
  bytes: number
}
