import { describe, expect, it } from 'vitest'
import { benchmarkReturns, betaCorrelation } from '../src/index.ts'

describe('beta and correlation against a benchmark', () => {
  it('a symbol that moves twice the benchmark each day has beta 2 and correlation 1 (hand)', () => {
    const bClose = Float64Array.of(100, 101, 99, 102, 100)
    const bDate = Int32Array.of(1, 2, 3, 4, 5)
    const bench = benchmarkReturns(bDate, bClose)
    const close = new Float64Array(5)
    close[0] = 50
    for (let i = 1; i < 5; i++) close[i] = close[i - 1]! * (1 + 2 * (bClose[i]! / bClose[i - 1]! - 1))
    const r = betaCorrelation(close, bDate, bench)
    expect(r.beta).toBeCloseTo(2, 12)
    expect(r.correlation).toBeCloseTo(1, 12)
    expect(r.count).toBe(4)
  })

  it('pairs by date: days either side lacks are left out', () => {
    const bench = benchmarkReturns(Int32Array.of(10, 11, 12, 13), Float64Array.of(1, 2, 1, 2))
    // Symbol rows on days 11, 13, 14: returns dated 13 (spanning 12) and 14 (no benchmark return).
    const r = betaCorrelation(Float64Array.of(1, 1.5, 3), Int32Array.of(11, 13, 14), bench)
    expect(r.count).toBe(1)
    expect(r.beta).toBeNaN()
  })

  it('a flat benchmark gives NaN', () => {
    const bench = benchmarkReturns(Int32Array.of(1, 2, 3, 4), Float64Array.of(5, 5, 5, 5))
    expect(betaCorrelation(Float64Array.of(1, 2, 3, 4), Int32Array.of(1, 2, 3, 4), bench).beta).toBeNaN()
  })
})
