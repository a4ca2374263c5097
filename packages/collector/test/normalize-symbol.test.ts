import { describe, expect, it } from 'vitest'
import { normalizeSymbol } from '../src/normalize-symbol.ts'

describe('normalizeSymbol', () => {
  it('writes class shares with a dot whatever the separator', () => {
    for (const s of ['BRK.B', 'BRK-B', 'brk-b', 'BRK/B', 'BRK B', ' brk.b '])
      expect(normalizeSymbol(s), s).toBe('BRK.B')
    expect(normalizeSymbol('BF-B')).toBe('BF.B')
  })

  it('upper-cases and trims plain tickers', () => {
    expect(normalizeSymbol(' aapl\t')).toBe('AAPL')
    expect(normalizeSymbol('A')).toBe('A')
    expect(normalizeSymbol('0700')).toBe('0700')
  })

  it('rejects what is not a ticker', () => {
    for (const s of ['', '   ', '^GSPC', 'AAPL MSFT X1', 'TOOLONGTICKER', 'BRK..B', 'BRK.B2', 'A,B', 'é', 'BRK-BB-C']) {
      expect(normalizeSymbol(s), JSON.stringify(s)).toBeNull()
    }
  })
})
