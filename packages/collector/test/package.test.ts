import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.ts'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg.name).toBe('@ttapi/collector')
    expect(pkg.type).toBe('module')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.exports['.']).toBe('./src/index.ts')
  })

  it('pins external dependencies exactly and internal ones as workspace:*', () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name.startsWith('@ttapi/')) expect(version, name).toBe('workspace:*')
      else expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/)
    }
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
