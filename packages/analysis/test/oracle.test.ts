// Oracle tests: the standard statistics recomputed by DuckDB SQL on the real daily CSVs of the corpus,
// compared with ours: 1e-9 relative for sums and moments, exact for quantiles and dates.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { locateCorpus } from '@ttapi/corpus'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syntheticMarket } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'
import {
  averageTrueRange,
  correlationMatrix,
  ema,
  rollingMeanSd,
  rollingVolatility,
  standardAnalysis,
  standardAnalysisSync,
} from '../src/index.ts'
import type { StandardAnalysisResult } from '../src/index.ts'
import { tableOf } from './_table.ts'
import type { SymbolRows } from './_table.ts'
import { CORRELATION_SQL, PER_SYMBOL_SQL, ROLLING_SQL, expectClose, openDuck, rows, tableFromDuck } from './_oracle.ts'

const corpus = locateCorpus()
const csvDir = join(corpus.dir ?? '', 'csv')
const hasCorpus =
  corpus.dir !== undefined && existsSync(join(csvDir, 'cnuge-kaggle-code')) && existsSync(join(csvDir, 'pandas-ta'))
if (corpus.dir === undefined) console.warn(`analysis oracle: ${corpus.reason}`)
else if (!hasCorpus) console.warn(`analysis oracle: corpus CSVs not found under ${csvDir}; corpus oracle tests skipped`)

const RF = 0.02
const REL = 1e-9

/** Checks every statistic of `result` against DuckDB's SQL over `px`. */
async function checkAgainstDuckDb(
  conn: DuckDBConnection,
  table: ColumnTable,
  result: StandardAnalysisResult,
  benchmark: string,
): Promise<void> {
  const expected = await rows(conn, PER_SYMBOL_SQL(RF, benchmark))
  expect(result.symbols).toEqual(expected.map((r) => r.symbol))
  const c = result.columns
  expected.forEach((e, k) => {
    const s = String(e.symbol)
    expectClose(c.rows[k]!, e.rows, 0, `${s} rows`)
    expectClose(c.returns[k]!, e.returns, 0, `${s} returns`)
    for (const [ours, theirs] of [
      ['mean', 'mean'],
      ['variance', 'variance'],
      ['sd', 'sd'],
      ['meanLogReturn', 'mean_log'],
      ['vwap', 'vwap'],
      ['sharpe', 'sharpe'],
      ['annualisedReturn', 'annualised'],
      ['beta', 'beta'],
      ['correlation', 'correlation'],
    ] as const) {
      expectClose(c[ours][k]!, e[theirs], REL, `${s} ${ours}`)
    }
    // DuckDB's skewness/kurtosis use raw power sums; on returns (mean near 0) they agree with our Welford update
    // to about 1e-12 relative.
    expectClose(c.skewness[k]!, e.skewness, REL, `${s} skewness`)
    expectClose(c.kurtosis[k]!, e.kurtosis, REL, `${s} kurtosis`)
    for (const q of ['min', 'max', 'p5', 'p50', 'p95'] as const) expectClose(c[q][k]!, e[q], 0, `${s} ${q}`)
    expectClose(c.maxDrawdown[k]!, e.max_drawdown, 1e-12, `${s} maxDrawdown`)
    expectClose(c.peakDate[k]!, e.peak_day, 0, `${s} peakDate`)
    expectClose(c.troughDate[k]!, e.trough_day, 0, `${s} troughDate`)
  })

  // Rolling windows row by row, and the bundle's latest values against the last row.
  const rolling = await rows(conn, ROLLING_SQL)
  expect(rolling.length).toBe(table.length)
  const n = table.length
  const buf = {
    sma20: new Float64Array(n),
    sd20: new Float64Array(n),
    sma50: new Float64Array(n),
    sd50: new Float64Array(n),
    sma200: new Float64Array(n),
    sd200: new Float64Array(n),
    vol20: new Float64Array(n),
    atr14: new Float64Array(n),
    ema12: new Float64Array(n),
  }
  for (let k = 0; k < result.length; k++) {
    let s = 0
    while (table.symbols[table.symbol[s]!] !== result.symbols[k]) s++
    let e = s
    while (e < n && table.symbol[e] === table.symbol[s]) e++
    rollingMeanSd(table.close, 20, buf.sma20, buf.sd20, s, e)
    rollingMeanSd(table.close, 50, buf.sma50, buf.sd50, s, e)
    rollingMeanSd(table.close, 200, buf.sma200, buf.sd200, s, e)
    rollingVolatility(table.close, 20, buf.vol20, s, e)
    averageTrueRange(table.high, table.low, table.close, 14, buf.atr14, s, e)
    ema(table.close, 12, buf.ema12, s, e)
    for (const w of ['sma20', 'sd20', 'sma50', 'sd50', 'sma200', 'sd200'] as const) {
      expectClose(c[w][k]!, buf[w][e - 1], 1e-9, `${result.symbols[k]} latest ${w}`)
    }
    expectClose(c.volatility20[k]!, buf.vol20[e - 1], 1e-9, `${result.symbols[k]} latest volatility20`)
    expectClose(c.atr14[k]!, buf.atr14[e - 1], 0, `${result.symbols[k]} atr14`)
    expectClose(c.ema12[k]!, buf.ema12[e - 1], 1e-12, `${result.symbols[k]} ema12`)
    // ATR reference: DuckDB's true range, then Wilder's recursion written out plainly.
    let atr = NaN
    let valid = 0
    let sum = 0
    for (let i = s; i < e; i++) {
      const tr = Number(rolling[i]!.tr ?? NaN)
      if (tr !== tr || table.close[i]! !== table.close[i]!) {
        valid = 0
        sum = 0
        atr = NaN
      } else if (valid < 14) {
        sum += tr
        valid++
        atr = valid === 14 ? sum / 14 : NaN
      } else atr = (atr * 13 + tr) / 14
      expectClose(buf.atr14[i]!, atr, 1e-12, `${result.symbols[k]} atr14 row ${i}`)
    }
  }
  for (let i = 0; i < n; i++) {
    const r = rolling[i]!
    for (const w of ['sma20', 'sd20', 'sma50', 'sd50', 'sma200', 'sd200'] as const) {
      expectClose(buf[w][i]!, r[w], REL, `row ${i} ${w}`)
    }
    expectClose(buf.vol20[i]!, r.vol20, REL, `row ${i} vol20`)
  }

  // Correlation matrix, pairwise complete, against corr() over the date join.
  const cm = correlationMatrix(table)
  const pairs = await rows(conn, CORRELATION_SQL)
  const index = new Map(cm.symbols.map((s, i) => [s, i]))
  for (const p of pairs) {
    const a = index.get(String(p.s1))!
    const b = index.get(String(p.s2))!
    expect(cm.pairs[a * cm.symbols.length + b], `${String(p.s1)}/${String(p.s2)} pairs`).toBe(Number(p.n))
    expectClose(cm.matrix[a * cm.symbols.length + b]!, p.c, REL, `corr ${String(p.s1)}/${String(p.s2)}`)
  }
}

describe.skipIf(!hasCorpus)('oracle: DuckDB SQL on the corpus daily CSVs', () => {
  let duck: Awaited<ReturnType<typeof openDuck>>
  let table: ColumnTable

  beforeAll(async () => {
    duck = await openDuck()
    const types = `types={'date': 'DATE', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'}`
    await duck.conn.run(`
      CREATE TABLE px AS
      SELECT Name AS symbol, date, open, high, low, close, volume
      FROM read_csv('${join(csvDir, 'cnuge-kaggle-code/stock_data/individual_stocks_5yr/*.csv')}', header = true, ${types})
      UNION ALL
      SELECT 'SPY' AS symbol, date, open, high, low, close, volume
      FROM read_csv('${join(csvDir, 'pandas-ta/data/SPY_D.csv')}', header = true, ${types})`)
    table = await tableFromDuck(duck.conn)
  })
  afterAll(() => duck?.close())

  it('loads the nine symbols with FTV starting on a row without open/high/low (PROVENANCE.md)', () => {
    expect(table.symbols).toEqual(['AAPL', 'BRK.B', 'FTV', 'GE', 'JPM', 'KO', 'MSFT', 'SPY', 'XOM'])
    expect(table.length).toBe(7 * 1259 + 404 + 5241)
    const ftv = table.symbols.indexOf('FTV')
    const first = table.symbol.indexOf(ftv)
    expect(table.high[first]).toBeNaN()
  })

  it('every per-symbol statistic, rolling series, ATR and the correlation matrix agree with DuckDB', async () => {
    const result = standardAnalysisSync(table, { benchmark: 'SPY', riskFreeRate: RF })
    await checkAgainstDuckDb(duck.conn, table, result, 'SPY')
  })
})

describe('oracle: DuckDB SQL on the synthetic market with gaps, NaN, a single row and a constant series', () => {
  let duck: Awaited<ReturnType<typeof openDuck>>
  let table: ColumnTable
  let dir: string

  beforeAll(async () => {
    // columnar-io's seeded market, then damaged: symbol k loses every (k+3)th day from row 50 on (gaps),
    // some closes and highs become NaN, one symbol keeps one row, one is flat.
    const m = syntheticMarket({ seed: 7, symbols: 10, days: 700 })
    const rowsOf: SymbolRows[] = []
    for (let k = 0; k < m.symbols.length; k++) {
      const r: Required<SymbolRows> = { symbol: m.symbols[k]!, close: [], date: [], high: [], low: [], volume: [] }
      for (let i = 0; i < m.length; i++) {
        if (m.symbol[i] !== k) continue
        const j = r.close.length + (i % 1000)
        if (k > 0 && j >= 50 && j % (k + 3) === 0) continue
        r.date.push(m.date[i]!)
        r.close.push(k === 4 && j % 97 === 5 ? NaN : m.close[i]!)
        r.high.push(k === 5 && j % 89 === 7 ? NaN : m.high[i]!)
        r.low.push(m.low[i]!)
        r.volume.push(m.volume[i]!)
      }
      if (k === 8) for (const a of [r.close, r.date, r.high, r.low, r.volume]) a.splice(1)
      if (k === 9) r.close = r.close.map(() => 42)
      rowsOf.push(r)
    }
    table = tableOf(rowsOf)
    dir = mkdtempSync(join(tmpdir(), 'analysis-oracle-'))
    const lines = ['symbol,date,open,high,low,close,volume']
    const f = (v: number): string => (v === v ? String(v) : '')
    for (let i = 0; i < table.length; i++) {
      const day = new Date(table.date[i]! * 86_400_000).toISOString().slice(0, 10)
      lines.push(
        [
          table.symbols[table.symbol[i]!],
          day,
          f(table.open[i]!),
          f(table.high[i]!),
          f(table.low[i]!),
          f(table.close[i]!),
          f(table.volume[i]!),
        ].join(','),
      )
    }
    writeFileSync(join(dir, 'market.csv'), lines.join('\n'))
    duck = await openDuck()
    await duck.conn.run(`
      CREATE TABLE px AS SELECT * FROM read_csv('${join(dir, 'market.csv')}', header = true,
        types={'symbol': 'VARCHAR', 'date': 'DATE', 'open': 'DOUBLE', 'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})`)
  })
  afterAll(() => {
    duck?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('DuckDB read back exactly the table we analyse', async () => {
    const back = await tableFromDuck(duck.conn)
    expect(back.length).toBe(table.length)
    expect(Array.from(back.date)).toEqual(Array.from(table.date))
    expect(Array.from(back.close)).toEqual(Array.from(table.close))
  })

  it('every statistic agrees with DuckDB, through the worker pool too', async () => {
    const sync = standardAnalysisSync(table, { benchmark: 'S0001', riskFreeRate: RF })
    await checkAgainstDuckDb(duck.conn, table, sync, 'S0001')
    const pooled = await standardAnalysis(table, {
      benchmark: 'S0001',
      riskFreeRate: RF,
      workers: 2,
      singleThreadBelowRows: 0,
    })
    await checkAgainstDuckDb(duck.conn, table, pooled, 'S0001')
  })
})
