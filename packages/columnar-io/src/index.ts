export {
  concatTables,
  createColumnTable,
  isSharedTable,
  isSortedBySymbolDate,
  sliceRows,
  sortBySymbolDate,
  symbolRanges,
  toSharedTable,
} from './column-table.ts'
/** @public A table's rows of some symbols, as the README shows; the workspace slices by symbol ranges instead. */
export { sliceBySymbol } from './column-table.ts'
export { syntheticBars, syntheticMarket, syntheticSymbols } from './synthetic-market.ts'
/** @public The error classes callers branch on (`instanceof`), whether or not the workspace does. */
export {
  ArrowTableError,
  ColumnarIoError,
  CsvFormatError,
  MetaStockError,
  ParquetBudgetError,
  ParquetReadError,
} from './errors.ts'
export { importMetaStock } from './metastock/import-metastock.ts'
/** @public One MetaStock file or directory, read on this thread (README); the workspace imports in parallel. */
export { readMetaStock } from './metastock/read-metastock.ts'
export { writeMetaStock } from './metastock/write-metastock.ts'
/** @public One CSV file or string, read on this thread (README); the workspace imports in parallel. */
export { readCsv } from './csv/read-csv.ts'
export { importCsv } from './csv/import-csv.ts'
/** @public CSV rows in batches as they arrive (README); nothing in the workspace streams yet. */
export { streamCsv } from './csv/stream-csv.ts'
export { writeCsv } from './csv/write-csv.ts'
export { writeParquet } from './parquet/write-parquet.ts'
export { preloadParquetReader, readParquet } from './parquet/read-parquet.ts'

export type { ColumnarIoErrorCode } from './errors.ts'
export type {
  ArrowColumnTable,
  ColumnTable,
  CreateColumnTableOptions,
  CsvDateFormat,
  CsvIssue,
  CsvResult,
  ImportCsvOptions,
  ParquetCompression,
  ReadCsvOptions,
  ParquetArrowDecoder,
  ReadParquetArrowOptions,
  ReadParquetArrowResult,
  ReadParquetOptions,
  StreamCsvOptions,
  WriteCsvOptions,
  WriteParquetOptions,
  FromArrowTableOptions,
  ImportMetaStockOptions,
  MetaStockFileInfo,
  MetaStockFiveFields,
  MetaStockIssue,
  MetaStockIssueCode,
  MetaStockResult,
  ReadMetaStockOptions,
  WriteMetaStockOptions,
  WriteMetaStockResult,
  SymbolRanges,
  SyntheticBars,
  SyntheticMarketOptions,
} from './types.ts'
