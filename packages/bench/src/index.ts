// What the workspace calls: `defineSuite` for a bench file, the record contract (its types, validation,
// upgrade), the statistics and formatting the report shares, and the error classes. The harness's
// internals (runBenchmarks, measureOp, the lock, profiles, child processes) are run through the CLI and
// imported by path in its tests.
export { appendRecord } from './append-record.ts'
export { captureEnv } from './capture-env.ts'
export { computeStats } from './compute-stats.ts'
export { cpuProfileFileName, topSelfTime } from './cpu-profile.ts'
/** @public Every bench file calls it; `knip --production` does not count bench files. */
export { defineSuite } from './define-suite.ts'
export { findWorkspaceRoot } from './discover.ts'
/** @public The error classes callers branch on (`instanceof`), whether or not the workspace does. */
export { BenchError, BenchLockError, BenchRecordError, BenchSuiteError, BenchUsageError } from './errors.ts'
export { fingerprint } from './fingerprint.ts'
export { formatAllocation, formatBytes, formatSI } from './format.ts'
export { injectFactor, parseInject } from './inject.ts'
export { resultFileName, sanitizeLabel } from './label.ts'
export { quantile } from './quantile.ts'
export { tCritical } from './t-critical.ts'
export { validateRecord } from './record-schema.ts'
export { makeRunId } from './run-session.ts'
export { machineOf } from './machine.ts'
export { BUSY_OTHER_CPU_CORES } from './host-load.ts'
export { upgradeRecord } from './upgrade-record.ts'
export { IMPORT_FORMATS } from './import-formats.ts'
export * from './types.ts'
export type { BenchErrorCode } from './errors.ts'
export type { ImportFormat } from './import-formats.ts'
export type { ProfileFunction } from './cpu-profile.ts'
export type { InjectRule } from './inject.ts'
export type { ValidateRecordResult } from './record-schema.ts'
