// The per-symbol work of the standard analysis, shared by the calling thread and the workers.
import { averageTrueRange } from './average-true-range.ts'
import { betaOfReturns } from './beta.ts'
import { maxDrawdown } from './max-drawdown.ts'
import { moments } from './moments.ts'
import { annualisedReturn, sharpeFromMoments } from './performance.ts'
import { selectQuantiles } from './quantiles.ts'
import { simpleReturns } from './returns.ts'
import { STANDARD_STATISTICS } from './standard-statistics.ts'
import type { BenchmarkReturns, StandardStatistic } from './types.ts'
import { vwap } from './vwap.ts'

/** The columns the standard analysis reads. */
export interface AnalyzeColumns {
  date: Int32Array
  high: Float64Array
  low: Float64Array
  close: Float64Array
  volume: Float64Array
}

/** Parameters every symbol shares. */
export interface AnalyzeParams {
  riskFreeRate: number
  periodsPerYear: number
  benchmark: BenchmarkReturns | null
}

/** Working buffers of one thread, grown to the longest symbol and reused. */
export interface Scratch {
  a: Float64Array
  b: Float64Array
  q: Float64Array
}

/** Scratch buffers of at least `n` values, reusing `prev` when large enough. */
export function scratchFor(n: number, prev?: Scratch): Scratch {
  if (prev !== undefined && prev.a.length >= n) return prev
  return { a: new Float64Array(n), b: new Float64Array(n), q: new Float64Array(3) }
}

/** Number of statistics, i.e. columns of the output block. */
export const STATISTIC_COUNT: number = STANDARD_STATISTICS.length

const col = (name: StandardStatistic): number => STANDARD_STATISTICS.indexOf(name)
const ROWS = col('rows')
const RETURNS = col('returns')
const MEAN = col('mean')
const VARIANCE = col('variance')
const SD = col('sd')
const SKEWNESS = col('skewness')
const KURTOSIS = col('kurtosis')
const MIN = col('min')
const MAX = col('max')
const P5 = col('p5')
const P50 = col('p50')
const P95 = col('p95')
const MEAN_LOG = col('meanLogReturn')
const ANN_RETURN = col('annualisedReturn')
const ANN_VOL = col('annualisedVolatility')
const SHARPE = col('sharpe')
const MAX_DD = col('maxDrawdown')
const PEAK_DATE = col('peakDate')
const TROUGH_DATE = col('troughDate')
const SMA = [col('sma20'), col('sma50'), col('sma200')] as const
const RSD = [col('sd20'), col('sd50'), col('sd200')] as const
const WINDOWS = [20, 50, 200] as const
const EMA12 = col('ema12')
const EMA26 = col('ema26')
const VOL20 = col('volatility20')
const BETA = col('beta')
const CORRELATION = col('correlation')
const VWAP = col('vwap')
const ATR14 = col('atr14')
const QUANTILE_PROBABILITIES = [0.05, 0.5, 0.95]

/**
 * Analyses result rows `[from, to)`; result row k covers table rows `[starts[k], ends[k])`.
 * `out` is statistic-major: statistic j of row k is `out[j * length + k]`.
 * Rolling statistics report their latest value (the last full window, computed over that window alone).
 * @returns the first table row whose date does not increase within its symbol, or -1
 */
export function analyzeSymbols(
  cols: AnalyzeColumns,
  starts: Int32Array,
  ends: Int32Array,
  from: number,
  to: number,
  out: Float64Array,
  length: number,
  params: AnalyzeParams,
  scratch: Scratch,
): number {
  const { date, high, low, close, volume } = cols
  const { periodsPerYear, benchmark } = params
  const sharpeOptions = { riskFreeRate: params.riskFreeRate, periodsPerYear }
  const sqrtYear = Math.sqrt(periodsPerYear)
  const { a, b, q } = scratch
  let badRow = -1
  for (let k = from; k < to; k++) {
    const s = starts[k]!
    const e = ends[k]!
    const n = e - s
    for (let i = s + 1; i < e; i++) {
      if (date[i]! <= date[i - 1]!) {
        if (badRow < 0) badRow = i
        break
      }
    }
    out[ROWS * length + k] = n
    // a[i - s] = simple return of row i; it stays there for the quantiles, beta and volatility below.
    out[RETURNS * length + k] = simpleReturns(close, a, s, e, 0)
    const m = moments(a, 0, n)
    out[MEAN * length + k] = m.mean
    out[VARIANCE * length + k] = m.variance
    out[SD * length + k] = m.sd
    out[SKEWNESS * length + k] = m.skewness
    out[KURTOSIS * length + k] = m.kurtosis
    out[MIN * length + k] = m.min
    out[MAX * length + k] = m.max
    let c = 0
    for (let i = 0; i < n; i++) {
      const v = a[i]!
      if (v === v) b[c++] = v
    }
    selectQuantiles(b, c, m.min, m.max, QUANTILE_PROBABILITIES, q)
    out[P5 * length + k] = q[0]!
    out[P50 * length + k] = q[1]!
    out[P95 * length + k] = q[2]!
    out[MEAN_LOG * length + k] = meanLogReturn(close, s, e, m.count)
    out[ANN_RETURN * length + k] = annualisedReturn(close, s, e, periodsPerYear)
    out[ANN_VOL * length + k] = m.sd * sqrtYear
    out[SHARPE * length + k] = sharpeFromMoments(m.mean, m.sd, sharpeOptions)
    const dd = maxDrawdown(close, date, s, e)
    out[MAX_DD * length + k] = dd.maxDrawdown
    out[PEAK_DATE * length + k] = dd.peakDate
    out[TROUGH_DATE * length + k] = dd.troughDate
    for (let w = 0; w < 3; w++) {
      const window = WINDOWS[w]!
      lastWindow(close, e - window, e, n >= window)
      out[SMA[w]! * length + k] = windowMean
      out[RSD[w]! * length + k] = windowSd
    }
    lastEmas(close, s, e)
    out[EMA12 * length + k] = ema12
    out[EMA26 * length + k] = ema26
    // The last 20 returns are a[n-20..n-1]; the first row has none, so 21 rows are needed.
    lastWindow(a, n - 20, n, n > 20)
    out[VOL20 * length + k] = windowSd * sqrtYear
    if (benchmark === null) {
      out[BETA * length + k] = NaN
      out[CORRELATION * length + k] = NaN
    } else {
      const br = betaOfReturns(a, date, benchmark, s, e)
      out[BETA * length + k] = br.beta
      out[CORRELATION * length + k] = br.correlation
    }
    out[VWAP * length + k] = vwap(high, low, close, volume, s, e)
    out[ATR14 * length + k] = averageTrueRange(high, low, close, 14, null, s, e)
  }
  return badRow
}

// Outputs of lastWindow / lastEmas (module state keeps the per-symbol calls free of allocation).
let windowMean = NaN
let windowSd = NaN
let ema12 = NaN
let ema26 = NaN

// Mean and sample sd of x[from, to) by two passes (the window is in cache); NaN when not `full` or a value is NaN.
function lastWindow(x: Float64Array, from: number, to: number, full: boolean): void {
  windowMean = NaN
  windowSd = NaN
  if (!full) return
  let sum = 0
  for (let i = from; i < to; i++) sum += x[i]!
  if (sum !== sum) return
  const w = to - from
  const mean = sum / w
  let ss = 0
  for (let i = from; i < to; i++) {
    const d = x[i]! - mean
    ss += d * d
  }
  windowMean = mean
  windowSd = Math.sqrt(ss / (w - 1))
}

// EMA 12 and 26 of close[s, e) in one pass, with the rules of `ema`.
function lastEmas(close: Float64Array, s: number, e: number): void {
  const a12 = 2 / 13
  const a26 = 2 / 27
  let e12 = NaN
  let e26 = NaN
  let i = s
  while (i < e && close[i]! !== close[i]!) i++
  if (i < e) {
    e12 = close[i]!
    e26 = e12
  }
  for (i++; i < e; i++) {
    const v = close[i]!
    if (v !== v) continue
    e12 += a12 * (v - e12)
    e26 += a26 * (v - e26)
  }
  ema12 = e12
  ema26 = e26
}

// Mean log return: the log returns of a run of finite prices telescope, so each run costs one logarithm.
function meanLogReturn(close: Float64Array, s: number, e: number, count: number): number {
  if (count === 0) return NaN
  let sum = 0
  let i = s
  while (i < e) {
    while (i < e && close[i]! !== close[i]!) i++
    const runStart = i
    while (i < e && close[i]! === close[i]!) i++
    if (i - runStart > 1) sum += Math.log(close[i - 1]! / close[runStart]!)
  }
  return sum / count
}
