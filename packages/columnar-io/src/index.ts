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
export { ColumnarIoError } from './errors.ts'

export type {
  ColumnTable,
  CreateColumnTableOptions,
  SymbolRanges,
  SyntheticBars,
  SyntheticMarketOptions,
} from './types.ts'
