import { describe, expect, it } from 'vitest'
import { expectPinnedDependencies, expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'
import * as api from '../src/index.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/collector')
  })

  it('pins external dependencies exactly and internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })

  it('stays on undici 7 (undici 8 needs Node 22; this repo runs Node 20)', () => {
    expect(pkg.dependencies?.['undici']).toMatch(/^7\./)
  })

  it('exports the documented API', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CollectorError',
        'HttpQuoteSource',
        'InvalidOptionError',
        'MalformedResponseError',
        'QuoteServerError',
        'SymbolFileError',
        'alphaVantageFormat',
        'collectQuotes',
        'collectQuotesCached',
        'loadSymbols',
        'nativeFormat',
        'normalizeSymbol',
        'parseSymbolText',
        'quotesCacheKey',
        'readSymbolFile',
        'sp500Source',
        'sp500Symbols',
        'startQuoteServer',
        'startQuoteServerProcess',
        'symbolList',
      ].sort(),
    )
  })
})
