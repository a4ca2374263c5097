export { alphaVantageFormat } from './alpha-vantage-format.ts'
export { collectQuotes } from './collect-quotes.ts'
export { collectQuotesCached, quotesCacheKey } from './collect-quotes-cached.ts'
export {
  CollectorError,
  InvalidOptionError,
  MalformedResponseError,
  QuoteServerError,
  SymbolFileError,
} from './errors.ts'
export { HttpQuoteSource } from './http-quote-source.ts'
export { nativeFormat } from './native-format.ts'
export { normalizeSymbol } from './normalize-symbol.ts'
export { startQuoteServer } from './quote-server.ts'
export { startQuoteServerProcess } from './quote-server-process.ts'
export { sp500Source, sp500Symbols } from './sp500-symbols.ts'
export { loadSymbols, parseSymbolText, readSymbolFile, symbolList } from './symbol-list.ts'
export type { CollectorErrorCode } from './errors.ts'
export type * from './types.ts'
