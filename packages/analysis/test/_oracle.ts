// DuckDB as the oracle: the same statistics in SQL over a `px` table, compared with ours within stated tolerances.
import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { expect } from 'vitest'
import type { ColumnTable } from '@ttapi/columnar-io'

/** An in-memory DuckDB connection. */
export async function openDuck(): Promise<{ conn: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  return {
    conn,
    close: () => {
      conn.closeSync()
      instance.closeSync()
    },
  }
}

/** Rows of a query as plain objects (BIGINT as bigint, NULL as null). */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(sql)
  return reader.getRowObjectsJS()
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v))

/** The ColumnTable of DuckDB table `px(symbol, date, open, high, low, close, volume)`, sorted by (symbol, date). */
export async function tableFromDuck(conn: DuckDBConnection): Promise<ColumnTable> {
  const r = await rows(
    conn,
    `SELECT symbol, date_diff('day', DATE '1970-01-01', date)::INTEGER AS day, open, high, low, close, volume
     FROM px ORDER BY symbol, date`,
  )
  const n = r.length
  const t: ColumnTable = {
    length: n,
    symbols: [],
    symbol: new Int32Array(n),
    date: new Int32Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    openInterest: null,
  }
  const codes = new Map<string, number>()
  r.forEach((row, i) => {
    const s = String(row.symbol)
    let c = codes.get(s)
    if (c === undefined) {
      c = t.symbols.length
      codes.set(s, c)
      t.symbols.push(s)
    }
    t.symbol[i] = c
    t.date[i] = num(row.day)
    t.open[i] = num(row.open)
    t.high[i] = num(row.high)
    t.low[i] = num(row.low)
    t.close[i] = num(row.close)
    t.volume[i] = num(row.volume)
  })
  return t
}

/** `ours` equals DuckDB's `theirs` within `rel` relative (both NaN/NULL counts as equal; `rel` 0 means exactly). */
export function expectClose(ours: number, theirs: unknown, rel: number, label: string): void {
  const t = num(theirs)
  if (t !== t) {
    expect(ours, label).toBeNaN()
    return
  }
  if (rel === 0) {
    expect(ours, label).toBe(t)
    return
  }
  const tol = rel * Math.max(Math.abs(ours), Math.abs(t))
  if (!(Math.abs(ours - t) <= tol)) expect.fail(`${label}: ours ${ours} vs DuckDB ${t} (relative tolerance ${rel})`)
}

/** Per-symbol SQL of the standard statistics (returns by row, as ours). */
export const PER_SYMBOL_SQL = (riskFreeRate: number, benchmark: string): string => `
WITH ret AS (
  SELECT symbol, date, close, high, low, volume,
    row_number() OVER w AS rn,
    close / lag(close) OVER w - 1 AS r,
    ln(close / lag(close) OVER w) AS lr
  FROM px WINDOW w AS (PARTITION BY symbol ORDER BY date)
),
stats AS (
  SELECT symbol, count(*) AS rows, count(r) AS returns, avg(r) AS mean, var_samp(r) AS variance,
    stddev_samp(r) AS sd, skewness(r) AS skewness, kurtosis(r) AS kurtosis, min(r) AS min, max(r) AS max,
    quantile_cont(r, 0.05) AS p5, quantile_cont(r, 0.5) AS p50, quantile_cont(r, 0.95) AS p95,
    avg(lr) AS mean_log,
    sum((high + low + close) / 3 * volume) FILTER (WHERE high IS NOT NULL AND low IS NOT NULL AND close IS NOT NULL AND volume IS NOT NULL)
      / sum(volume) FILTER (WHERE high IS NOT NULL AND low IS NOT NULL AND close IS NOT NULL AND volume IS NOT NULL) AS vwap,
    CASE WHEN stddev_samp(r) > 0 THEN (avg(r) - ${riskFreeRate} / 252) / stddev_samp(r) * sqrt(252) END AS sharpe
  FROM ret GROUP BY symbol
),
ann AS (
  SELECT symbol, pow(arg_max(close, rn) / arg_min(close, rn), 252 / (max(rn) - min(rn))) - 1 AS annualised
  FROM ret WHERE close IS NOT NULL GROUP BY symbol HAVING count(*) > 1
),
dd0 AS (
  SELECT symbol, date, close,
    max(close) OVER (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING) AS runmax
  FROM px WHERE close IS NOT NULL
),
dd1 AS (SELECT *, close / runmax AS ratio FROM dd0),
worst AS (SELECT symbol, min(ratio) AS worst FROM dd1 GROUP BY symbol),
trough AS (
  SELECT d.symbol, min(d.date) AS trough, any_value(w.worst) AS worst
  FROM dd1 d JOIN worst w ON d.symbol = w.symbol AND d.ratio = w.worst GROUP BY d.symbol
),
dd AS (
  SELECT t.symbol, 1 - t.worst AS max_drawdown,
    date_diff('day', DATE '1970-01-01', t.trough)::INTEGER AS trough_day,
    date_diff('day', DATE '1970-01-01', min(p.date))::INTEGER AS peak_day
  FROM trough t JOIN dd1 tr ON tr.symbol = t.symbol AND tr.date = t.trough
  JOIN dd1 p ON p.symbol = t.symbol AND p.date <= t.trough AND p.close = tr.runmax
  GROUP BY t.symbol, t.worst, t.trough
),
beta AS (
  SELECT a.symbol, regr_slope(a.r, b.r) AS beta, corr(a.r, b.r) AS correlation
  FROM ret a JOIN ret b ON a.date = b.date AND b.symbol = '${benchmark}'
  WHERE a.r IS NOT NULL AND b.r IS NOT NULL GROUP BY a.symbol
)
SELECT * FROM stats LEFT JOIN ann USING (symbol) LEFT JOIN dd USING (symbol) LEFT JOIN beta USING (symbol)
ORDER BY symbol`

/** Row-by-row SQL of the rolling statistics, a full window required (as ours). */
export const ROLLING_SQL = `
WITH ret AS (
  SELECT symbol, date, close, close / lag(close) OVER (PARTITION BY symbol ORDER BY date) - 1 AS r FROM px
)
SELECT symbol,
  CASE WHEN count(close) OVER w20 = 20 THEN avg(close) OVER w20 END AS sma20,
  CASE WHEN count(close) OVER w20 = 20 THEN stddev_samp(close) OVER w20 END AS sd20,
  CASE WHEN count(close) OVER w50 = 50 THEN avg(close) OVER w50 END AS sma50,
  CASE WHEN count(close) OVER w50 = 50 THEN stddev_samp(close) OVER w50 END AS sd50,
  CASE WHEN count(close) OVER w200 = 200 THEN avg(close) OVER w200 END AS sma200,
  CASE WHEN count(close) OVER w200 = 200 THEN stddev_samp(close) OVER w200 END AS sd200,
  CASE WHEN count(r) OVER w20 = 20 THEN stddev_samp(r) OVER w20 * sqrt(252) END AS vol20,
  CASE WHEN high IS NOT NULL AND low IS NOT NULL
    THEN greatest(high, lag(close) OVER o) - least(low, lag(close) OVER o) END AS tr
FROM (SELECT ret.*, px.high, px.low FROM ret JOIN px USING (symbol, date))
WINDOW o AS (PARTITION BY symbol ORDER BY date),
  w20 AS (PARTITION BY symbol ORDER BY date ROWS BETWEEN 19 PRECEDING AND CURRENT ROW),
  w50 AS (PARTITION BY symbol ORDER BY date ROWS BETWEEN 49 PRECEDING AND CURRENT ROW),
  w200 AS (PARTITION BY symbol ORDER BY date ROWS BETWEEN 199 PRECEDING AND CURRENT ROW)
ORDER BY symbol, date`

/** Pairwise-complete correlations of daily returns aligned by date. */
export const CORRELATION_SQL = `
WITH ret AS (SELECT symbol, date, close / lag(close) OVER (PARTITION BY symbol ORDER BY date) - 1 AS r FROM px)
SELECT a.symbol AS s1, b.symbol AS s2, corr(a.r, b.r) AS c, count(*) AS n
FROM ret a JOIN ret b ON a.date = b.date WHERE a.r IS NOT NULL AND b.r IS NOT NULL GROUP BY ALL`
