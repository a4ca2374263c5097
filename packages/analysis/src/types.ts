import type { AnalysisPool } from './analysis-pool.ts'

/** Stable codes of every error this package throws. */
export type AnalysisErrorCode = 'ANALYSIS_INVALID_OPTION' | 'ANALYSIS_INVALID_TABLE' | 'ANALYSIS_WORKER_FAILED'

/** Moments of a series, from {@link moments}. NaN where undefined (see its documentation). */
export interface Moments {
  /** Non-NaN values seen. */
  count: number
  /** Arithmetic mean. */
  mean: number
  /** Sample variance (n - 1 denominator, DuckDB `var_samp`). */
  variance: number
  /** Sample standard deviation (DuckDB `stddev_samp`). */
  sd: number
  /** Sample skewness (DuckDB `skewness`). */
  skewness: number
  /** Sample excess kurtosis (DuckDB `kurtosis`). */
  kurtosis: number
  /** Smallest value. */
  min: number
  /** Largest value. */
  max: number
}

/** Result of {@link maxDrawdown}. */
export interface MaxDrawdownResult {
  /** Largest peak-to-trough fall as a fraction of the peak, in [0, 1]; NaN without prices. */
  maxDrawdown: number
  /** Row of the peak, or -1. */
  peakIndex: number
  /** Row of the trough, or -1. */
  troughIndex: number
  /** Day number of the peak (days since 1970-01-01), or NaN. */
  peakDate: number
  /** Day number of the trough, or NaN. */
  troughDate: number
}

/** Options of the Sharpe ratio and the annualised figures. */
export interface SharpeOptions {
  /** Annual risk-free rate, subtracted per period as riskFreeRate / periodsPerYear. @default 0 */
  riskFreeRate?: number
  /** Trading periods per year used to annualise. @default 252 */
  periodsPerYear?: number
}

/** A benchmark's daily returns laid out by day number, from {@link benchmarkReturns}. */
export interface BenchmarkReturns {
  /** Day number of `returns[0]`. */
  firstDate: number
  /** Return on day `firstDate + k` at index k; NaN on days without one. */
  returns: Float64Array
}

/** Result of {@link betaCorrelation}. */
export interface BetaResult {
  /** cov(symbol, benchmark) / var(benchmark) over the paired daily returns. */
  beta: number
  /** Pearson correlation of the paired daily returns. */
  correlation: number
  /** Number of paired daily returns used. */
  count: number
}

/** A benchmark price series outside the table (day numbers increasing). */
export interface BenchmarkSeries {
  /** Day numbers (days since 1970-01-01), strictly increasing. */
  date: Int32Array
  /** Prices on those days. */
  close: Float64Array
}

/** The per-symbol statistics of {@link standardAnalysis}, one result column each (see README for definitions). */
export type StandardStatistic =
  | 'rows'
  | 'returns'
  | 'mean'
  | 'variance'
  | 'sd'
  | 'skewness'
  | 'kurtosis'
  | 'min'
  | 'max'
  | 'p5'
  | 'p50'
  | 'p95'
  | 'meanLogReturn'
  | 'annualisedReturn'
  | 'annualisedVolatility'
  | 'sharpe'
  | 'maxDrawdown'
  | 'peakDate'
  | 'troughDate'
  | 'sma20'
  | 'sma50'
  | 'sma200'
  | 'sd20'
  | 'sd50'
  | 'sd200'
  | 'ema12'
  | 'ema26'
  | 'volatility20'
  | 'beta'
  | 'correlation'
  | 'vwap'
  | 'atr14'

/** Options of {@link standardAnalysis} and {@link standardAnalysisSync}. */
export interface StandardAnalysisOptions extends SharpeOptions {
  /** Benchmark for beta and correlation: a symbol of the table, or a separate series. Without one both are NaN. */
  benchmark?: string | BenchmarkSeries
  /** Worker threads to split the symbols over (ignored by the sync form). @default os.availableParallelism() */
  workers?: number
  /** A pool kept alive across calls, so worker start-up is paid once; its size wins over `workers`. */
  pool?: AnalysisPool
  /** Tables with fewer rows than this run in the calling thread. @default 100000 */
  singleThreadBelowRows?: number
}

/** Columnar result of the standard analysis: row k describes `symbols[k]`. */
export interface StandardAnalysisResult {
  /** Number of result rows (symbols that have at least one row in the table), in table order. */
  length: number
  /** Symbol of each result row. */
  symbols: string[]
  /** One column per statistic, each of `length` values; NaN where undefined. */
  columns: Record<StandardStatistic, Float64Array>
  /** True when the input columns were not SharedArrayBuffer-backed and were copied to shared memory for this call. */
  copiedToShared: boolean
  /** Threads that did the work (1 = the calling thread). */
  threads: number
}

/** Options of {@link correlationMatrix}. */
export interface CorrelationMatrixOptions {
  /** Symbols to include, in this order. @default every symbol with rows, in table order */
  symbols?: readonly string[]
  /** Pairs with fewer paired daily returns than this get NaN. @default 2 */
  minPairs?: number
}

/** Result of {@link correlationMatrix}. */
export interface CorrelationMatrixResult {
  /** The symbols, in matrix order. */
  symbols: string[]
  /** Row-major n x n correlations of daily simple returns; symmetric, 1 on the diagonal (NaN for a flat or short history). */
  matrix: Float64Array
  /** Row-major n x n counts of the paired daily returns each correlation used. */
  pairs: Int32Array
  /** Distinct dates with at least one return. */
  dates: number
  /** Symbols whose histories cover every date (their pairs took the standardise-and-dot fast path). */
  completeSymbols: number
}

/** Options of {@link AnalysisPool}. */
export interface AnalysisPoolOptions {
  /** Worker threads. @default os.availableParallelism() */
  workers?: number
}
