// The per-symbol work of the standard analysis, shared by the calling thread and the workers.
import { momentsFromShiftedSums } from './_moments.ts'
import { reciprocals } from './_reciprocals.ts'
import { annualisedReturn } from './performance.ts'
import { selectQuantiles } from './quantiles.ts'
import { STANDARD_STATISTICS } from './standard-statistics.ts'
import type { BenchmarkReturns, StandardStatistic } from './types.ts'

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
const INV14 = 1 / 14
const EMPTY = new Float64Array(0)

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
  const sqrtYear = Math.sqrt(periodsPerYear)
  const { a, b, q } = scratch
  let badRow = -1
  const invYear = params.riskFreeRate / periodsPerYear
  const br = benchmark === null ? EMPTY : benchmark.returns
  const base = benchmark === null ? 0 : benchmark.firstDate
  const span = br.length
  const inv = reciprocals(scratch.a.length + 1)
  const A12 = 2 / 13
  const A26 = 2 / 27
  for (let k = from; k < to; k++) {
    const s = starts[k]!
    const e = ends[k]!
    const n = e - s
    // Each block below mirrors one public kernel (same operations in the same order): simpleReturns + moments
    // (Welford), maxDrawdown, ema, vwap, averageTrueRange (Wilder, 14), betaCorrelation; plus the gathering of
    // finite returns for the quantiles and the telescoped log returns.
    let prevDate = -Infinity
    let prev = NaN
    // moments
    let cnt = 0
    let mean = 0
    let m2 = 0
    let shift = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let s4 = 0
    let mn = Infinity
    let mx = -Infinity
    // drawdown
    let peak = -Infinity
    let peakIndex = -1
    let worst = 1
    let threshold = -Infinity
    let bestPeak = -1
    let bestTrough = -1
    // ema
    let e12 = NaN
    let e26 = NaN
    // vwap
    let pv = 0
    let vs = 0
    // atr
    let trValid = 0
    let atr = 0
    let atrLast = NaN
    // beta
    let bn = 0
    let bmx = 0
    let bmy = 0
    let cxy = 0
    let cxx = 0
    let cyy = 0
    // log returns of runs of finite prices
    let runStart = -1
    let sumLog = 0
    // Pass 1: returns, moments, the finite returns for the quantiles, the date order. Passes 2 and 3 re-read the
    // symbol's columns from L1/L2; three small loops keep their state in registers, where one big loop spills.
    for (let i = s; i < e; i++) {
      const d = date[i]!
      if (d <= prevDate && badRow < 0) badRow = i
      prevDate = d
      const c = close[i]!
      const r = c / prev - 1
      prev = c
      a[i - s] = r
      if (r === r) {
        cnt++
        const delta = r - mean
        mean += delta * inv[cnt]!
        m2 += delta * (r - mean)
        if (cnt === 1) shift = r
        const dk = r - shift
        const dk2 = dk * dk
        s1 += dk
        s2 += dk2
        s3 += dk2 * dk
        s4 += dk2 * dk2
        if (r < mn) mn = r
        if (r > mx) mx = r
        b[cnt - 1] = r
      }
    }
    // Pass 2: drawdown, EMAs, log-return runs (close only).
    for (let i = s; i < e; i++) {
      const c = close[i]!
      if (c === c) {
        if (runStart < 0) runStart = i
        if (c > peak) {
          if (peakIndex < 0) {
            bestPeak = i
            bestTrough = i
          }
          peak = c
          peakIndex = i
          threshold = peak * worst
        } else if (c < threshold) {
          worst = c / peak
          threshold = c
          bestPeak = peakIndex
          bestTrough = i
        }
        if (e12 === e12) {
          e12 += A12 * (c - e12)
          e26 += A26 * (c - e26)
        } else {
          e12 = c
          e26 = c
        }
      } else if (runStart >= 0) {
        if (i - runStart > 1) sumLog += Math.log(close[i - 1]! / close[runStart]!)
        runStart = -1
      }
    }
    // Pass 3: VWAP and ATR (high, low, close, volume).
    prev = NaN
    for (let i = s; i < e; i++) {
      const c = close[i]!
      const h = high[i]!
      const l = low[i]!
      const vol = volume[i]!
      const t = (h + l + c) * vol
      if (t === t) {
        pv += t
        vs += vol
      }
      // Wilder's true range: true high minus true low (a missing previous close leaves high - low).
      const tr = (prev > h ? prev : h) - (prev < l ? prev : l)
      prev = c
      if (tr !== tr || c !== c) {
        trValid = 0
        atr = 0
        atrLast = NaN
      } else if (trValid < 14) {
        atr += tr
        trValid++
        atrLast = trValid === 14 ? (atr /= 14) : NaN
      } else {
        atr = (atr * 13 + tr) * INV14
        atrLast = atr
      }
    }
    // Pass 4: beta and correlation against the benchmark, from the returns of pass 1.
    if (span > 0) {
      for (let i = s + 1; i < e; i++) {
        const j = date[i]! - base
        if (j < 0 || j >= span) continue
        const y = br[j]!
        const r = a[i - s]!
        if (r !== r || y !== y) continue
        bn++
        const dx = r - bmx
        const dy = y - bmy
        bmx += dx * inv[bn]!
        bmy += dy * inv[bn]!
        const ey = y - bmy
        cxy += dx * ey
        cxx += dx * (r - bmx)
        cyy += dy * ey
      }
    }
    if (runStart >= 0 && e - runStart > 1) sumLog += Math.log(close[e - 1]! / close[runStart]!)

    const m = momentsFromShiftedSums(cnt, mean, m2, shift, s1, s2, s3, s4, mn, mx)
    out[ROWS * length + k] = n
    out[RETURNS * length + k] = cnt
    out[MEAN * length + k] = m.mean
    out[VARIANCE * length + k] = m.variance
    out[SD * length + k] = m.sd
    out[SKEWNESS * length + k] = m.skewness
    out[KURTOSIS * length + k] = m.kurtosis
    out[MIN * length + k] = m.min
    out[MAX * length + k] = m.max
    selectQuantiles(b, cnt, mn, mx, QUANTILE_PROBABILITIES, q)
    out[P5 * length + k] = q[0]!
    out[P50 * length + k] = q[1]!
    out[P95 * length + k] = q[2]!
    out[MEAN_LOG * length + k] = cnt > 0 ? sumLog / cnt : NaN
    out[ANN_RETURN * length + k] = annualisedReturn(close, s, e, periodsPerYear)
    out[ANN_VOL * length + k] = m.sd * sqrtYear
    out[SHARPE * length + k] = m.sd > 0 ? ((m.mean - invYear) / m.sd) * sqrtYear : NaN
    out[MAX_DD * length + k] = peakIndex < 0 ? NaN : 1 - worst
    out[PEAK_DATE * length + k] = bestPeak < 0 ? NaN : date[bestPeak]!
    out[TROUGH_DATE * length + k] = bestTrough < 0 ? NaN : date[bestTrough]!
    for (let w = 0; w < 3; w++) {
      const window = WINDOWS[w]!
      lastWindow(close, e - window, e, n >= window)
      out[SMA[w]! * length + k] = windowMean
      out[RSD[w]! * length + k] = windowSd
    }
    out[EMA12 * length + k] = e12
    out[EMA26 * length + k] = e26
    // The last 20 returns are a[n-20..n-1]; the first row has none, so 21 rows are needed.
    lastWindow(a, n - 20, n, n > 20)
    out[VOL20 * length + k] = windowSd * sqrtYear
    const betaOk = bn >= 2 && cyy > 0
    out[BETA * length + k] = betaOk ? cxy / cyy : NaN
    out[CORRELATION * length + k] = betaOk && cxx > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN
    out[VWAP * length + k] = vs > 0 ? pv / 3 / vs : NaN
    out[ATR14 * length + k] = atrLast
  }
  return badRow
}

// Outputs of lastWindow (module state keeps the per-symbol calls free of allocation).
let windowMean = NaN
let windowSd = NaN

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
