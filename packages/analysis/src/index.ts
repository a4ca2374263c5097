export { AnalysisPool } from './analysis-pool.ts'
export { averageTrueRange } from './average-true-range.ts'
export { benchmarkReturns, betaCorrelation } from './beta.ts'
export { correlationMatrix } from './correlation-matrix.ts'
export { ema } from './ema.ts'
/** @public The error classes callers branch on (`instanceof`), whether or not the workspace does. */
export { AnalysisError, InvalidOptionError, InvalidTableError, WorkerFailedError } from './errors.ts'
export { maxDrawdown } from './max-drawdown.ts'
export { moments } from './moments.ts'
export { annualisedReturn, sharpeFromMoments, sharpeRatio } from './performance.ts'
export { quantiles } from './quantiles.ts'
export { logReturns, simpleReturns } from './returns.ts'
export { rollingMean, rollingMeanSd, rollingSd, rollingVolatility } from './rolling.ts'
export { standardAnalysis, standardAnalysisSync } from './standard-analysis.ts'
export { STANDARD_STATISTICS } from './standard-statistics.ts'
export { vwap } from './vwap.ts'
export type {
  AnalysisErrorCode,
  AnalysisPoolOptions,
  BenchmarkReturns,
  BenchmarkSeries,
  BetaResult,
  CorrelationMatrixOptions,
  CorrelationMatrixResult,
  MaxDrawdownResult,
  Moments,
  SharpeOptions,
  StandardAnalysisOptions,
  StandardAnalysisResult,
  StandardStatistic,
} from './types.ts'
