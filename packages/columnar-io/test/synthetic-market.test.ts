import { describe, expect, it } from 'vitest'
import { SYNTHETIC_END_DATE, syntheticBars, syntheticMarket, syntheticSymbols } from '../src/synthetic-market.ts'
import { isSharedTable, isSortedBySymbolDate, sliceBySymbol } from '../src/column-table.ts'

describe('syntheticMarket', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = syntheticMarket({ symbols: 3, days: 300 })
    const b = syntheticMarket({ seed: 42, symbols: 3, days: 300 })
    const c = syntheticMarket({ seed: 7, symbols: 3, days: 300 })
    expect(a.close).toEqual(b.close)
    expect(a.volume).toEqual(b.volume)
    expect(a.close).not.toEqual(c.close)
  })

  it('names symbols S0001… and sorts rows by (symbol, date)', () => {
    const m = syntheticMarket({ symbols: 3, days: 10 })
    expect(m.symbols).toEqual(['S0001', 'S0002', 'S0003'])
    expect(syntheticSymbols(2)).toEqual(['S0001', 'S0002'])
    expect(m.length).toBe(30)
    expect(isSortedBySymbolDate(m)).toBe(true)
    expect(Array.from(m.symbol.subarray(8, 12))).toEqual([0, 0, 1, 1])
  })

  it('ends at 2026-10-30 by default, weekdays only, a weekend end steps back to Friday', () => {
    const m = syntheticMarket({ symbols: 1, days: 10 })
    expect(SYNTHETIC_END_DATE).toBe(Date.UTC(2026, 9, 30) / 86_400_000)
    expect(m.date[9]).toBe(SYNTHETIC_END_DATE)
    // Hand computation: the 10 weekdays ending Friday 2026-10-30 start Monday 2026-10-19.
    expect(m.date[0]).toBe(Date.UTC(2026, 9, 19) / 86_400_000)
    for (const d of m.date) expect([0, 6]).not.toContain(new Date(d * 86_400_000).getUTCDay())
    const sunday = syntheticBars(42, 'S0001', 3, SYNTHETIC_END_DATE + 2)
    expect(sunday.date[2]).toBe(SYNTHETIC_END_DATE)
    expect(sunday.close).toEqual(syntheticBars(42, 'S0001', 3).close)
  })

  it('keeps OHLCV invariants: high >= max(open, close), low <= min(open, close), prices and volume > 0', () => {
    const m = syntheticMarket({ symbols: 50, days: 2760 })
    let bad = 0
    for (let i = 0; i < m.length; i++) {
      const o = m.open[i]!
      const c = m.close[i]!
      if (!(m.high[i]! >= Math.max(o, c) && m.low[i]! <= Math.min(o, c) && m.low[i]! > 0)) bad++
      if (!(m.volume[i]! > 0 && Number.isInteger(m.volume[i]!))) bad++
    }
    expect(bad).toBe(0)
  })

  it('looks like a market: daily log-return sd between 0.5% and 4%, symbols differ', () => {
    const m = syntheticMarket({ symbols: 20, days: 1000 })
    const sds = new Set<number>()
    for (let s = 0; s < 20; s++) {
      const c = sliceBySymbol(m, s).close
      let sum = 0
      let sum2 = 0
      for (let i = 1; i < c.length; i++) {
        const r = Math.log(c[i]! / c[i - 1]!)
        sum += r
        sum2 += r * r
      }
      const n = c.length - 1
      const sd = Math.sqrt(sum2 / n - (sum / n) ** 2)
      expect(sd).toBeGreaterThan(0.005)
      expect(sd).toBeLessThan(0.04)
      sds.add(Math.round(sd * 1e4))
    }
    expect(sds.size).toBeGreaterThan(10)
  })

  it('gives a symbol the same series whatever the other symbols, equal to syntheticBars', () => {
    const small = syntheticMarket({ symbols: ['AAPL', 'MSFT'], days: 400 })
    const large = syntheticMarket({ symbols: ['ZZZ', 'MSFT', 'AAPL', 'IBM', 'A'], days: 400 })
    const a = sliceBySymbol(small, 'MSFT')
    const b = sliceBySymbol(large, 'MSFT')
    const bars = syntheticBars(42, 'MSFT', 400)
    for (const k of ['date', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(a[k]).toEqual(b[k])
      expect(a[k]).toEqual(bars[k])
    }
    expect(syntheticMarket({ symbols: 500, days: 5 }).close.subarray(0, 5)).toEqual(
      syntheticMarket({ symbols: 1, days: 5 }).close,
    )
  })

  it('gives a day the same bar whatever the window', () => {
    const long = syntheticBars(42, 'AAPL', 1000)
    const short = syntheticBars(42, 'AAPL', 37, SYNTHETIC_END_DATE - 100)
    const at = long.date.indexOf(short.date[0]!)
    expect(at).toBeGreaterThan(0)
    expect(long.close.subarray(at, at + 37)).toEqual(short.close)
    expect(long.open.subarray(at, at + 37)).toEqual(short.open)
    expect(long.volume.subarray(at, at + 37)).toEqual(short.volume)
  })

  it('puts columns in SharedArrayBuffers on request', () => {
    expect(isSharedTable(syntheticMarket({ symbols: 2, days: 3, shared: true }))).toBe(true)
    expect(isSharedTable(syntheticMarket({ symbols: 2, days: 3 }))).toBe(false)
  })

  it('rejects bad inputs', () => {
    expect(() => syntheticMarket({ symbols: -1, days: 3 })).toThrow('`symbols`')
    expect(() => syntheticMarket({ symbols: 2, days: 2.5 })).toThrow('`days`')
    expect(() => syntheticMarket({ symbols: ['A', 'A'], days: 2 })).toThrow('distinct')
    expect(() => syntheticBars(1, 'A', 2, Number.NaN)).toThrow('`endDate`')
  })
})
