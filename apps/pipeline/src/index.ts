export { analysisStage } from './analysis-stage.ts'
export { collectStage } from './collect-stage.ts'
export { columnsDir, dataFingerprint, loadCachedColumns, storeCachedColumns } from './column-cache.ts'
export { COMMANDS, choiceOption, helpText, numberOption, parseCommandLine } from './command-line.ts'
export { cacheCommand, generateCommand, runCommand, runOptionsFrom, serveQuotesCommand } from './commands.ts'
export { PipelineError, UsageError } from './errors.ts'
export { importStage } from './import-stage.ts'
export { resolvePaths, syntheticDataDir } from './paths.ts'
export { PipelineSession } from './pipeline-session.ts'
export { watchCommand } from './watch-command.ts'
export { runPipeline } from './run-pipeline.ts'
export { HISTORY_FILE, historyFor, readStageHistory, writeStageHistory } from './stage-history.ts'
export { formatDuration, formatSpeedup, renderStageTable } from './stage-table.ts'
export {
  DATASETS,
  DEFAULT_FORMAT,
  datasetSymbols,
  ensureSyntheticMarket,
  writeSyntheticMarket,
} from './synthetic-data.ts'
export { colorEnabled, isCi, Terminal } from './terminal.ts'
export { renderSummaryMarkdown, summaryJson, SummaryLines, SymbolLine, writeSummary } from './write-summary.ts'
export type { AnalysisStageInput, AnalysisStageOutput } from './analysis-stage.ts'
export type { CollectStageInput, CollectStageOutput } from './collect-stage.ts'
export type { ColumnCacheLookup, ColumnManifest } from './column-cache.ts'
export type { CommandLine } from './command-line.ts'
export type { CommandContext, OptionValues } from './commands.ts'
export type { PipelineErrorCode } from './errors.ts'
export type { ImportStageInput, ImportStageOutput } from './import-stage.ts'
export type { PipelinePaths } from './paths.ts'
export type { DatasetDescriptor } from './synthetic-data.ts'
export type { Style } from './terminal.ts'
export type * from './types.ts'
