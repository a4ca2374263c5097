export {
  concatTables,
  createColumnTable,
  isSharedTable,
  isSortedBySymbolDate,
  sliceBySymbol,
  sortBySymbolDate,
  symbolRanges,
  toSharedTable,
} from './column-table.ts'
export { SYNTHETIC_END_DATE, syntheticBars, syntheticMarket, syntheticSymbols } from './synthetic-market.ts'
export { ArrowTableError, ColumnarIoError, MetaStockError } from './errors.ts'
export { importMetaStock } from './metastock/import-metastock.ts'
export { readMetaStock } from './metastock/read-metastock.ts'
export { writeMetaStock } from './metastock/write-metastock.ts'
export { CsvFormatError, ParquetBudgetError, ParquetReadError } from './errors.ts'
export { readCsv } from './csv/read-csv.ts'
export { importCsv } from './csv/import-csv.ts'
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
