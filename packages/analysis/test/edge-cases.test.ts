// The documented results of the standard analysis on awkward inputs (README "Edge cases").
import { describe, expect, it } from 'vitest'
import { STANDARD_STATISTICS, moments, standardAnalysis, standardAnalysisSync } from '../src/index.ts'
import type { StandardAnalysisResult, StandardStatistic } from '../src/index.ts'
import { tableOf } from './_table.ts'

function row(r: StandardAnalysisResult, k: number): Record<StandardStatistic, number> {
  return Object.fromEntries(STANDARD_STATISTICS.map((s) => [s, r.columns[s][k]!])) as Record<StandardStatistic, number>
}

describe('standard analysis edge cases', () => {
  it('an empty table gives an empty result, in the calling thread and through workers', async () => {
    const t = tableOf([])
    const r = standardAnalysisSync(t)
    expect(r.length).toBe(0)
    expect(r.symbols).toEqual([])
    for (const s of STANDARD_STATISTICS) expect(r.columns[s].length).toBe(0)
    const p = await standardAnalysis(t, { workers: 2, singleThreadBelowRows: 0 })
    expect(p.length).toBe(0)
  })

  it('a single row: counts, drawdown 0 at that day, EMA and VWAP defined; everything needing returns is NaN', () => {
    const r = row(standardAnalysisSync(tableOf([{ symbol: 'ONE', close: [50], date: [19000] }])), 0)
    expect(r.rows).toBe(1)
    expect(r.returns).toBe(0)
    expect(r.maxDrawdown).toBe(0)
    expect(r.peakDate).toBe(19000)
    expect(r.troughDate).toBe(19000)
    expect(r.ema12).toBe(50)
    expect(r.ema26).toBe(50)
    // Hand: typical price (50.5 + 49.5 + 50) / 3 = 50.
    expect(r.vwap).toBeCloseTo(50, 12)
    for (const s of [
      'mean',
      'variance',
      'sd',
      'skewness',
      'kurtosis',
      'min',
      'max',
      'p5',
      'p50',
      'p95',
      'meanLogReturn',
      'annualisedReturn',
      'annualisedVolatility',
      'sharpe',
      'sma20',
      'sd20',
      'volatility20',
      'beta',
      'correlation',
      'atr14',
    ] as const) {
      expect(r[s], s).toBeNaN()
    }
  })

  it('a constant series: zero returns, zero spread, NaN for the ratios that divide by it', () => {
    const close = new Array<number>(30).fill(50)
    const r = row(
      standardAnalysisSync(
        tableOf([{ symbol: 'FLAT', close, high: close.map(() => 50.5), low: close.map(() => 49.5) }]),
      ),
      0,
    )
    expect(r.returns).toBe(29)
    for (const s of ['mean', 'variance', 'sd', 'min', 'max', 'p5', 'p50', 'p95', 'meanLogReturn'] as const) {
      expect(r[s], s).toBe(0)
    }
    expect(r.annualisedReturn).toBe(0)
    expect(r.annualisedVolatility).toBe(0)
    expect(r.skewness).toBeNaN()
    expect(r.kurtosis).toBeNaN()
    expect(r.sharpe).toBeNaN()
    expect(r.maxDrawdown).toBe(0)
    expect(r.sma20).toBe(50)
    expect(r.sd20).toBe(0)
    expect(r.sma50).toBeNaN()
    expect(r.volatility20).toBe(0)
    expect(r.ema26).toBe(50)
    expect(r.vwap).toBe(50)
    // Hand: every true range is 50.5 - 49.5 = 1.
    expect(r.atr14).toBe(1)
  })

  it('NaN prices: each voids the two returns touching it; rolling values need a NaN-free window', () => {
    const close = Array.from({ length: 40 }, (_, i) => 100 + Math.sin(i) * 3)
    close[10] = NaN
    const t = tableOf([{ symbol: 'GAP', close }])
    const r = row(standardAnalysisSync(t), 0)
    expect(r.returns).toBe(39 - 2)
    const rets = close.slice(1).map((c, i) => c / close[i]! - 1)
    const m = moments(Float64Array.from(rets))
    expect(r.mean).toBeCloseTo(m.mean, 15)
    expect(r.sd).toBeCloseTo(m.sd, 15)
    // The last 20 rows (20..39) hold no NaN, so sma20 is their mean; 50 rows do not exist.
    expect(r.sma20).toBeCloseTo(close.slice(20).reduce((a, b) => a + b, 0) / 20, 12)
    expect(r.sma50).toBeNaN()
    // Annualised return spans the first and last prices: 39 rows.
    expect(r.annualisedReturn).toBeCloseTo(Math.pow(close[39]! / close[0]!, 252 / 39) - 1, 12)
    const late = [...close]
    late[35] = NaN
    expect(row(standardAnalysisSync(tableOf([{ symbol: 'GAP', close: late }])), 0).sma20).toBeNaN()
  })

  it('a NaN-only symbol gives NaN everywhere but its row count', () => {
    const r = row(standardAnalysisSync(tableOf([{ symbol: 'NONE', close: [NaN, NaN, NaN] }])), 0)
    expect(r.rows).toBe(3)
    expect(r.returns).toBe(0)
    expect(r.maxDrawdown).toBeNaN()
    expect(r.ema12).toBeNaN()
    expect(r.vwap).toBeNaN()
  })

  it('missing days: returns span the gap (by row), beta pairs by date', () => {
    // Benchmark has every day 100..109; the symbol skips days 103-105.
    const bench = Array.from({ length: 10 }, (_, i) => 100 * (1 + 0.01 * ((i * 7) % 5)))
    const dates = [100, 101, 102, 106, 107, 108, 109]
    const close = dates.map((d) => 2 * bench[d - 100]!)
    const r = standardAnalysisSync(
      tableOf([
        { symbol: 'B', close: bench },
        { symbol: 'S', close, date: dates },
      ]),
      { benchmark: 'B' },
    )
    const s = row(r, 1)
    expect(s.returns).toBe(6)
    // Hand: the return dated 106 spans 102 -> 106, so it equals bench(106)/bench(102) - 1, not the benchmark's
    // own return on day 106; the pairs dated 101, 102, 107, 108, 109 are identical, so beta is not exactly 1.
    expect(s.beta).not.toBeNaN()
    expect(row(r, 0).beta).toBeCloseTo(1, 14)
    expect(row(r, 0).correlation).toBeCloseTo(1, 14)
  })
})
