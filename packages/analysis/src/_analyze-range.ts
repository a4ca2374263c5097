// The per-symbol work of the standard analysis, shared by the calling thread and the workers.
import { momentsFromShiftedSums } from './_moments.ts'
import { reciprocals } from './_reciprocals.ts'
import { annualisedReturn } from './performance.ts'
import { selectQuantiles } from './quantiles.ts'
import { STANDARD_STATISTICS } from './standard-statistics.ts'
import type { BenchmarkReturns, StandardStatistic } from './types.ts'

/** The columns the standard analysis reads. */
export interface AnalyzeColumns {
  symbol: Int32Array
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

/** Where results go: statistic j of the symbol with dictionary code c is `out[j * stride + c]`. */
export interface AnalyzeTarget {
  out: Float64Array
  /** The dictionary size. */
  stride: number
  /** claimed[c] becomes 1 when a thread takes symbol c (Atomics, so a symbol split in two runs is caught). */
  claimed: Int32Array
  /** First row of each claimed symbol, to order the result as the table. */
  startRow: Int32Array
}

/** Kinds of table problems, encoded with the row as row * 4 + kind. */
export const BAD_DATE = 1
export const BAD_SPLIT = 2
export const BAD_CODE = 3

// Working buffers of this thread (each worker has its own module instance): the finite returns, grown to the longest
// symbol; the quantiles; the last 20 returns.
let bufB = new Float64Array(4096)
const bufQ = new Float64Array(3)
const bufW = new Float64Array(20)

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
const A12 = 2 / 13
const A26 = 2 / 27
const EMPTY = new Float64Array(0)
// Rows before the last TAIL weigh less than 2^-109 in the latest EMA (12, 26) and ATR (14) — (25/27)^1024 and
// (13/14)^1024 — far below half an ulp, so both recurrences started TAIL rows from the end (EMA seeded with the first
// close there, ATR with the mean of the first 14 true ranges) reach the same double as from the symbol's first row:
// once the two runs are within an ulp they round to the same value within a few dozen rows and stay equal. The tests
// check the bundle against the full-length kernels bit for bit.
const TAIL = 1024

/**
 * Analyses every symbol whose first row lies in `[r0, r1)` (a symbol is taken whole by the thread that sees its
 * start, so rows can be split anywhere). Discovering symbol runs here, inside the threads, keeps the calling thread
 * free of any pass over the table.
 * @returns the first problem found as row * 4 + kind (BAD_*), or -1
 */
export function analyzeRows(
  cols: AnalyzeColumns,
  length: number,
  r0: number,
  r1: number,
  target: AnalyzeTarget,
  params: AnalyzeParams,
): number {
  // Only this loop-free wrapper reads the fields of the per-call objects; the functions with loops take typed arrays
  // and numbers. Optimised code that loads a field of an object literal depends on the field's type (here "a
  // Float64Array"), and V8 widens that type when the literal runs a second time (it builds the literal's boilerplate
  // then): `prepare`'s literals ran once per call, so the second call threw the hot code away ("code dependencies").
  // The next calls then ran the baseline code up to pass 1's loop and jumped into the cached on-stack-replacement code
  // compiled during the first call, whose loop state arrives tagged (boxed): 2.7x slower, and V8 did not tier the
  // function up again while it ran that way. Without field loads there is no such dependency, and no such process.
  const { benchmark } = params
  return analyzeRun(
    cols.symbol,
    cols.date,
    cols.high,
    cols.low,
    cols.close,
    cols.volume,
    length,
    r0,
    r1,
    target.out,
    target.stride,
    target.claimed,
    target.startRow,
    params.riskFreeRate,
    params.periodsPerYear,
    benchmark === null ? EMPTY : benchmark.returns,
    benchmark === null ? 0 : benchmark.firstDate,
  )
}

// analyzeRows over plain arguments (see there why). br/base: the benchmark's returns by day and its first day.
function analyzeRun(
  symbol: Int32Array,
  date: Int32Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  length: number,
  r0: number,
  r1: number,
  out: Float64Array,
  stride: number,
  claimed: Int32Array,
  startRow: Int32Array,
  riskFreeRate: number,
  periodsPerYear: number,
  br: Float64Array,
  base: number,
): number {
  let bad = -1
  let i = r0
  if (i > 0) while (i < r1 && symbol[i] === symbol[i - 1]) i++
  while (i < r1) {
    const s = i
    const code = symbol[s]!
    let e = s + 1
    while (e < length && symbol[e] === code) e++
    i = e
    let problem = -1
    if (!(code >= 0 && code < stride)) problem = s * 4 + BAD_CODE
    else if (Atomics.compareExchange(claimed, code, 0, 1) !== 0) problem = s * 4 + BAD_SPLIT
    else {
      startRow[code] = s
      const badDate = analyzeSymbol(
        date,
        high,
        low,
        close,
        volume,
        s,
        e,
        out,
        stride,
        code,
        riskFreeRate,
        periodsPerYear,
        br,
        base,
      )
      if (badDate >= 0) problem = badDate * 4 + BAD_DATE
    }
    if (problem >= 0 && (bad < 0 || problem < bad)) bad = problem
  }
  return bad
}

/**
 * All statistics of one symbol's rows `[s, e)`, written to `out[j * stride + slot]`.
 * Rolling statistics report their latest value (the last full window, computed over that window alone).
 * @returns the first row whose date does not increase, or -1
 */
// The hot loop of the bundle, long on purpose: every statistic is fused into two passes over the symbol's columns so
// each row is loaded once per pass; split into functions, the running state would go through memory (or closures)
// on every row and the passes would no longer overlap their independent recurrences.
// eslint-disable-next-line max-lines-per-function -- the bundle's hot loop (see above)
function analyzeSymbol(
  date: Int32Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  s: number,
  e: number,
  out: Float64Array,
  stride: number,
  slot: number,
  riskFreeRate: number,
  periodsPerYear: number,
  br: Float64Array,
  base: number,
): number {
  const sqrtYear = Math.sqrt(periodsPerYear)
  const n = e - s
  if (bufB.length < n) bufB = new Float64Array(n)
  const b = bufB
  const q = bufQ
  let badRow = -1
  const invYear = riskFreeRate / periodsPerYear
  const span = br.length
  const inv = reciprocals(n + 1)
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
  // Pass 1: returns, moments, the finite returns for the quantiles, the date order, drawdown and log-return runs (the
  // drawdown here, with the closes pass 1 loads anyway, leaves pass 2 with fewer live values). Pass 2 re-reads the
  // symbol's columns from L1/L2 and recomputes the returns it needs (the same expression, so the same values): a division off
  // the critical path is cheaper than storing every return, since V8 reloads each typed array's bounds after a store.
  // For the same reason two rows per step, every load before the stores into b; the same operations in the same order
  // as one row at a time.
  let i = s
  for (; i + 1 < e; i += 2) {
    const d0 = date[i]!
    const d1 = date[i + 1]!
    const c0 = close[i]!
    const c1 = close[i + 1]!
    const inv1 = inv[cnt + 1]!
    const inv2 = inv[cnt + 2]!
    if (badRow < 0) {
      if (d0 <= prevDate) badRow = i
      else if (d1 <= d0) badRow = i + 1
    }
    prevDate = d1
    const r0 = c0 / prev - 1
    const r1 = c1 / c0 - 1
    prev = c1
    const r0ok = r0 === r0
    // Drawdown and log-return runs (maxDrawdown's statements), written out for row i, row i + 1 and the odd last row
    // below: a shared helper would have to pass its eight state variables in and out on every row.
    if (c0 === c0) {
      if (runStart < 0) runStart = i
      if (c0 > peak) {
        if (peakIndex < 0) {
          bestPeak = i
          bestTrough = i
        }
        peak = c0
        peakIndex = i
        threshold = peak * worst
      } else if (c0 < threshold) {
        worst = c0 / peak
        threshold = c0
        bestPeak = peakIndex
        bestTrough = i
      }
    } else if (runStart >= 0) {
      if (i - runStart > 1) sumLog += Math.log(close[i - 1]! / close[runStart]!)
      runStart = -1
    }
    if (c1 === c1) {
      if (runStart < 0) runStart = i + 1
      if (c1 > peak) {
        if (peakIndex < 0) {
          bestPeak = i + 1
          bestTrough = i + 1
        }
        peak = c1
        peakIndex = i + 1
        threshold = peak * worst
      } else if (c1 < threshold) {
        worst = c1 / peak
        threshold = c1
        bestPeak = peakIndex
        bestTrough = i + 1
      }
    } else if (runStart >= 0) {
      if (i + 1 - runStart > 1) sumLog += Math.log(close[i]! / close[runStart]!)
      runStart = -1
    }
    if (r0ok) {
      cnt++
      const delta = r0 - mean
      mean += delta * inv1
      m2 += delta * (r0 - mean)
      if (cnt === 1) shift = r0
      const dk = r0 - shift
      const dk2 = dk * dk
      s1 += dk
      s2 += dk2
      s3 += dk2 * dk
      s4 += dk2 * dk2
      if (r0 < mn) mn = r0
      if (r0 > mx) mx = r0
      b[cnt - 1] = r0
    }
    if (r1 === r1) {
      cnt++
      const delta = r1 - mean
      mean += delta * (r0ok ? inv2 : inv1)
      m2 += delta * (r1 - mean)
      if (cnt === 1) shift = r1
      const dk = r1 - shift
      const dk2 = dk * dk
      s1 += dk
      s2 += dk2
      s3 += dk2 * dk
      s4 += dk2 * dk2
      if (r1 < mn) mn = r1
      if (r1 > mx) mx = r1
      b[cnt - 1] = r1
    }
  }
  if (i < e) {
    const d = date[i]!
    if (d <= prevDate && badRow < 0) badRow = i
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
    } else if (runStart >= 0) {
      if (i - runStart > 1) sumLog += Math.log(close[i - 1]! / close[runStart]!)
      runStart = -1
    }
    const r = c / prev - 1
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
  // Pass 2: VWAP and beta over every row; EMAs and ATR over the last TAIL rows only, in a second copy of the loop (one
  // loop lets the CPU overlap their independent recurrences with the other work; run apart, the EMA and Wilder
  // recurrences are latency-bound and it gained nothing).
  const tail = e - s > TAIL ? e - TAIL : s
  prev = NaN
  for (let i = s; i < tail; i++) {
    const c = close[i]!
    const h = high[i]!
    const l = low[i]!
    const vol = volume[i]!
    const t = (h + l + c) * vol
    if (t === t) {
      pv += t
      vs += vol
    }
    const r = c / prev - 1
    prev = c
    // No return on the symbol's first row (prev is NaN); j >>> 0 < span is 0 <= j < span (and false when span is 0).
    if (r === r) {
      const j = date[i]! - base
      if (j >>> 0 < span) {
        const y = br[j]!
        if (y === y) {
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
    }
  }
  for (let i = tail; i < e; i++) {
    const c = close[i]!
    if (c === c) {
      if (e12 === e12) {
        e12 += A12 * (c - e12)
        e26 += A26 * (c - e26)
      } else {
        e12 = c
        e26 = c
      }
    }
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
    const r = c / prev - 1
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
    // No return on the symbol's first row (prev is NaN); j >>> 0 < span is 0 <= j < span (and false when span is 0).
    if (r === r) {
      const j = date[i]! - base
      if (j >>> 0 < span) {
        const y = br[j]!
        if (y === y) {
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
    }
  }
  if (runStart >= 0 && e - runStart > 1) sumLog += Math.log(close[e - 1]! / close[runStart]!)

  const m = momentsFromShiftedSums(cnt, mean, m2, shift, s1, s2, s3, s4, mn, mx)
  out[ROWS * stride + slot] = n
  out[RETURNS * stride + slot] = cnt
  out[MEAN * stride + slot] = m.mean
  out[VARIANCE * stride + slot] = m.variance
  out[SD * stride + slot] = m.sd
  out[SKEWNESS * stride + slot] = m.skewness
  out[KURTOSIS * stride + slot] = m.kurtosis
  out[MIN * stride + slot] = m.min
  out[MAX * stride + slot] = m.max
  selectQuantiles(b, cnt, mn, mx, QUANTILE_PROBABILITIES, q)
  out[P5 * stride + slot] = q[0]!
  out[P50 * stride + slot] = q[1]!
  out[P95 * stride + slot] = q[2]!
  out[MEAN_LOG * stride + slot] = cnt > 0 ? sumLog / cnt : NaN
  out[ANN_RETURN * stride + slot] = annualisedReturn(close, s, e, periodsPerYear)
  out[ANN_VOL * stride + slot] = m.sd * sqrtYear
  out[SHARPE * stride + slot] = m.sd > 0 ? ((m.mean - invYear) / m.sd) * sqrtYear : NaN
  out[MAX_DD * stride + slot] = peakIndex < 0 ? NaN : 1 - worst
  out[PEAK_DATE * stride + slot] = bestPeak < 0 ? NaN : date[bestPeak]!
  out[TROUGH_DATE * stride + slot] = bestTrough < 0 ? NaN : date[bestTrough]!
  for (let w = 0; w < 3; w++) {
    const window = WINDOWS[w]!
    lastWindow(close, e - window, e, n >= window)
    out[SMA[w]! * stride + slot] = windowMean
    out[RSD[w]! * stride + slot] = windowSd
  }
  out[EMA12 * stride + slot] = e12
  out[EMA26 * stride + slot] = e26
  // The last 20 returns (the first row has none, so 21 rows are needed).
  if (n > 20) for (let k = 0; k < 20; k++) bufW[k] = close[e - 20 + k]! / close[e - 21 + k]! - 1
  lastWindow(bufW, 0, 20, n > 20)
  out[VOL20 * stride + slot] = windowSd * sqrtYear
  const betaOk = bn >= 2 && cyy > 0
  out[BETA * stride + slot] = betaOk ? cxy / cyy : NaN
  out[CORRELATION * stride + slot] = betaOk && cxx > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN
  out[VWAP * stride + slot] = vs > 0 ? pv / 3 / vs : NaN
  out[ATR14 * stride + slot] = atrLast
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
