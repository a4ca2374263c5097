// Suite `analysis`: the standard bundle, single kernels, the 500 x 500 correlation matrix, and the peers
// (DuckDB SQL for the bundle, simple-statistics for mean/sd/quantiles) on columnar-io's synthetic market.
import { availableParallelism } from 'node:os'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { defineSuite } from '@ttapi/bench'
import type { CaseContext, SuiteDefinition } from '@ttapi/bench'
import { symbolRanges, syntheticMarket } from '@ttapi/columnar-io'
import type { ColumnTable, SymbolRanges } from '@ttapi/columnar-io'
import * as ss from 'simple-statistics'
import {
  AnalysisPool,
  correlationMatrix,
  maxDrawdown,
  moments,
  quantiles,
  rollingMeanSd,
  simpleReturns,
  standardAnalysis,
  standardAnalysisSync,
} from '../src/index.ts'

const DAYS = 2760
// Beta and correlation against the first symbol, in ours and in DuckDB's SQL alike.
const BENCHMARK = { benchmark: 'S0001' }
const symbolsFor = (ctx: CaseContext): number => (ctx.profile === 'full' ? 10_000 : 500)

interface Market {
  table: ColumnTable
  ranges: SymbolRanges
}

function market(symbols: number): Market {
  const table = syntheticMarket({ seed: 42, symbols, days: DAYS, shared: true })
  return { table, ranges: symbolRanges(table) }
}

// Bytes of the columns the analysis reads and the table holds (symbol, date, OHLCV).
const inputBytes = (t: ColumnTable): number => t.length * (4 + 4 + 5 * 8)

const rowsOf = (s: { table: ColumnTable }): number => s.table.length
const bytesOf = (s: { table: ColumnTable }): number => inputBytes(s.table)

interface PoolState extends Market {
  pool: AnalysisPool
}

interface SeriesState extends Market {
  a: Float64Array
  b: Float64Array
}

interface StatsState extends Market {
  returns: Float64Array
  scratch: Float64Array
}

function statsState(ctx: CaseContext): StatsState {
  const m = market(symbolsFor(ctx))
  const returns = new Float64Array(m.table.length)
  const { starts, ends } = m.ranges
  for (let k = 0; k < starts.length; k++) simpleReturns(m.table.close, returns, starts[k], ends[k])
  return { ...m, returns, scratch: new Float64Array(DAYS) }
}

// The bundle in DuckDB SQL over px(symbol, day, high, low, close, volume): every statistic ours computes except EMA
// and ATR (recursive, not expressible as one window query) — the comparison leaves DuckDB the lighter job.
const BUNDLE_SQL = `
WITH ret AS (
  SELECT symbol, day, close, high, low, volume,
    row_number() OVER w AS rn,
    close / lag(close) OVER w - 1 AS r,
    ln(close / lag(close) OVER w) AS lr,
    max(close) OVER (w ROWS UNBOUNDED PRECEDING) AS runmax,
    avg(close) OVER (w ROWS 19 PRECEDING) AS sma20, stddev_samp(close) OVER (w ROWS 19 PRECEDING) AS sd20,
    avg(close) OVER (w ROWS 49 PRECEDING) AS sma50, stddev_samp(close) OVER (w ROWS 49 PRECEDING) AS sd50,
    avg(close) OVER (w ROWS 199 PRECEDING) AS sma200, stddev_samp(close) OVER (w ROWS 199 PRECEDING) AS sd200
  FROM px WINDOW w AS (PARTITION BY symbol ORDER BY day)
),
bench AS (SELECT day, r AS b FROM ret WHERE symbol = 'S0001')
SELECT symbol, count(*) AS rows, count(r) AS returns, avg(r) AS mean, var_samp(r) AS variance, stddev_samp(r) AS sd,
  skewness(r) AS skewness, kurtosis(r) AS kurtosis, min(r) AS min, max(r) AS max,
  quantile_cont(r, [0.05, 0.5, 0.95]) AS q, avg(lr) AS mean_log,
  pow(arg_max(close, rn) / arg_min(close, rn), 252 / (max(rn) - min(rn))) - 1 AS annualised,
  stddev_samp(r) * sqrt(252) AS volatility, avg(r) / stddev_samp(r) * sqrt(252) AS sharpe,
  max(1 - close / runmax) AS max_drawdown, arg_max(day, 1 - close / runmax) AS trough_day,
  arg_max(sma20, rn) AS sma20, arg_max(sd20, rn) AS sd20, arg_max(sma50, rn) AS sma50, arg_max(sd50, rn) AS sd50,
  arg_max(sma200, rn) AS sma200, arg_max(sd200, rn) AS sd200,
  regr_slope(r, b) AS beta, corr(r, b) AS correlation,
  sum((high + low + close) / 3 * volume) / sum(volume) AS vwap
FROM ret LEFT JOIN bench USING (day)
GROUP BY symbol`

async function loadIntoDuckDb(conn: DuckDBConnection, t: ColumnTable): Promise<void> {
  const { DuckDBDataChunk, DOUBLE, INTEGER, VARCHAR } = await import('@duckdb/node-api')
  await conn.run('CREATE TABLE px (symbol VARCHAR, day INTEGER, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE)')
  const appender = await conn.createAppender('px')
  const CHUNK = 2048
  for (let at = 0; at < t.length; at += CHUNK) {
    const n = Math.min(CHUNK, t.length - at)
    const chunk = DuckDBDataChunk.create([VARCHAR, INTEGER, DOUBLE, DOUBLE, DOUBLE, DOUBLE], n)
    const sym: string[] = new Array<string>(n)
    for (let i = 0; i < n; i++) sym[i] = t.symbols[t.symbol[at + i]!]!
    chunk.setColumns([
      sym,
      Array.from(t.date.subarray(at, at + n)),
      Array.from(t.high.subarray(at, at + n)),
      Array.from(t.low.subarray(at, at + n)),
      Array.from(t.close.subarray(at, at + n)),
      Array.from(t.volume.subarray(at, at + n)),
    ])
    appender.appendDataChunk(chunk)
  }
  appender.closeSync()
}

const suite: SuiteDefinition = defineSuite({
  suite: 'analysis',
  cases: [
    {
      // Every per-symbol statistic over worker threads kept alive across operations (start-up paid once, in setup).
      name: 'standard_analysis',
      unit: 'rows',
      itemsPerOp: rowsOf,
      bytesPerOp: bytesOf,
      setup: async (ctx: CaseContext): Promise<PoolState> => {
        const m = market(symbolsFor(ctx))
        const pool = new AnalysisPool({ workers: availableParallelism() })
        await pool.ready()
        await pool.standardAnalysis(m.table, BENCHMARK)
        return { ...m, pool }
      },
      fn: (s: PoolState) => s.pool.standardAnalysis(s.table, BENCHMARK),
      teardown: (s: PoolState) => s.pool.close(),
    },
    {
      // The same with a fresh pool per operation: what worker start-up costs.
      name: 'standard_analysis_cold',
      unit: 'rows',
      itemsPerOp: rowsOf,
      bytesPerOp: bytesOf,
      setup: (ctx: CaseContext): Market => market(symbolsFor(ctx)),
      fn: (s: Market) => standardAnalysis(s.table, { ...BENCHMARK, workers: availableParallelism() }),
      minSamples: 5,
      maxTimeMs: 10_000,
    },
    {
      // The bundle in the calling thread: the per-core figure.
      name: 'standard_analysis_1t',
      unit: 'rows',
      itemsPerOp: rowsOf,
      bytesPerOp: bytesOf,
      setup: (ctx: CaseContext): Market => market(symbolsFor(ctx)),
      fn: (s: Market) => standardAnalysisSync(s.table, BENCHMARK),
      minSamples: 10,
      maxTimeMs: 10_000,
    },
    {
      // Rolling mean and sd over 20 rows, every row of every symbol written out; one thread.
      name: 'rolling_20',
      unit: 'rows',
      itemsPerOp: rowsOf,
      setup: (ctx: CaseContext): SeriesState => {
        const m = market(symbolsFor(ctx))
        return { ...m, a: new Float64Array(m.table.length), b: new Float64Array(m.table.length) }
      },
      fn: (s: SeriesState) => {
        const { starts, ends } = s.ranges
        for (let k = 0; k < starts.length; k++) rollingMeanSd(s.table.close, 20, s.a, s.b, starts[k], ends[k])
      },
    },
    {
      // Simple daily returns of every row; one thread.
      name: 'returns',
      unit: 'rows',
      itemsPerOp: rowsOf,
      setup: (ctx: CaseContext): SeriesState => {
        const m = market(symbolsFor(ctx))
        return { ...m, a: new Float64Array(m.table.length), b: new Float64Array(0) }
      },
      fn: (s: SeriesState) => {
        const { starts, ends } = s.ranges
        for (let k = 0; k < starts.length; k++) simpleReturns(s.table.close, s.a, starts[k], ends[k])
      },
    },
    {
      // Maximum drawdown with peak and trough dates per symbol; one thread.
      name: 'max_drawdown',
      unit: 'rows',
      itemsPerOp: rowsOf,
      setup: (ctx: CaseContext): Market => market(symbolsFor(ctx)),
      fn: (s: Market) => {
        const { starts, ends } = s.ranges
        let sum = 0
        for (let k = 0; k < starts.length; k++)
          sum += maxDrawdown(s.table.close, s.table.date, starts[k], ends[k]).maxDrawdown
        return sum
      },
    },
    {
      // 500 x 500 correlation matrix of daily returns over 2,760 days (both profiles); one op = one matrix.
      name: 'correlation_500',
      unit: 'ops',
      itemsPerOp: 1,
      setup: (): Market => market(500),
      fn: (s: Market) => correlationMatrix(s.table),
    },
    {
      // Peer: DuckDB SQL computing the bundle (less EMA/ATR) on the same rows, loaded in setup.
      name: 'standard_analysis_duckdb',
      unit: 'rows',
      itemsPerOp: (s: { rows: number }) => s.rows,
      setup: async (ctx: CaseContext) => {
        const { table } = market(symbolsFor(ctx))
        // Loaded here so the other cases' child processes do not load DuckDB's native module.
        const { DuckDBInstance } = await import('@duckdb/node-api')
        const instance = await DuckDBInstance.create(':memory:')
        const conn = await instance.connect()
        await loadIntoDuckDb(conn, table)
        return { instance, conn, rows: table.length }
      },
      fn: async (s: { conn: DuckDBConnection }) => (await s.conn.runAndReadAll(BUNDLE_SQL)).currentRowCount,
      teardown: (s: { instance: DuckDBInstance; conn: DuckDBConnection }) => {
        s.conn.closeSync()
        s.instance.closeSync()
      },
      // One full-profile operation takes about a minute.
      minSamples: 2,
      maxTimeMs: 20_000,
    },
    {
      // Ours on mean, sample sd and p5/p50/p95 of each symbol's daily returns (the simple-statistics peer's job).
      name: 'stats_ours',
      unit: 'rows',
      itemsPerOp: rowsOf,
      setup: statsState,
      fn: (s: StatsState) => {
        const { starts, ends } = s.ranges
        let acc = 0
        for (let k = 0; k < starts.length; k++) {
          const m = moments(s.returns, starts[k]! + 1, ends[k])
          const q = quantiles(s.returns, [0.05, 0.5, 0.95], starts[k]! + 1, ends[k], s.scratch)
          acc += m.mean + m.sd + q[0]! + q[1]! + q[2]!
        }
        return acc
      },
    },
    {
      // Peer: simple-statistics mean, sampleStandardDeviation and quantile on the same per-symbol returns.
      name: 'stats_simple_statistics',
      unit: 'rows',
      itemsPerOp: rowsOf,
      setup: (ctx: CaseContext) => {
        const st = statsState(ctx)
        const { starts, ends } = st.ranges
        const perSymbol: number[][] = []
        for (let k = 0; k < starts.length; k++) perSymbol.push(Array.from(st.returns.subarray(starts[k]! + 1, ends[k])))
        return { table: st.table, perSymbol }
      },
      fn: (s: { perSymbol: number[][] }) => {
        let acc = 0
        for (const r of s.perSymbol) {
          const q = ss.quantile(r, [0.05, 0.5, 0.95])
          acc += ss.mean(r) + ss.sampleStandardDeviation(r) + q[0]! + q[1]! + q[2]!
        }
        return acc
      },
      minSamples: 10,
      maxTimeMs: 10_000,
    },
  ],
})

export default suite
