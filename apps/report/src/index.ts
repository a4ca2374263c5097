export { abCompare, poolRuns, resolveCommit } from './ab-compare.ts'
export { findAcknowledgement, readAcknowledgedRegressions } from './acknowledged-regressions.ts'
export { calibrate } from './calibrate.ts'
export { formatPerformanceSection, insertPerformanceSection, lastReleaseRun } from './changelog-performance.ts'
export { detectChangePoints } from './changepoints.ts'
export {
  COMMENT_MARKER,
  createCheckRun,
  createGitHubClient,
  GITHUB_BODY_LIMIT,
  truncateBody,
  upsertComment,
} from './github.ts'
export { flameSvg, flameTree } from './flame-graph.ts'
export { headline, slowdownPhrase, unconfirmedSlowdowns } from './headline.ts'
export { buildHtmlInput, caseSeries, caseVerdicts } from './html-input.ts'
export { renderHtmlReport } from './html-report.ts'
export { profileComparisons } from './profile-comparison.ts'
export { versionPackages } from './version-packages.ts'
export { benjaminiHochberg } from './benjamini-hochberg.ts'
export { bootstrapRatios } from './bootstrap.ts'
export { caseHistory } from './case-history.ts'
export { compareRuns } from './compare-runs.ts'
export { CONFIG_FILE, DEFAULT_CONFIG, loadConfig, parseConfig, thresholdsFor } from './config.ts'
export {
  ConfigError,
  EnvMismatchError,
  GitHubError,
  HistoryError,
  ReportError,
  SelectorError,
  UsageError,
} from './errors.ts'
export { caseKey, loadHistory } from './load-history.ts'
export { mannWhitneyU } from './mann-whitney.ts'
export { buildJsonReport, renderJson } from './render-json.ts'
export { DETAIL_HEADERS, renderMarkdown, verdictTable } from './render-markdown.ts'
export { renderTerminal } from './render-terminal.ts'
export { reportJsonSchema } from './report-schema.ts'
export { runMatches, selectRuns } from './select-runs.ts'
export { reportNotes, summaryBullets } from './summary.ts'
export { combineVerdicts, judgeMetric } from './verdict.ts'
export type * from './types.ts'
export type { GitHubErrorCode, ReportErrorCode } from './errors.ts'
export type { AbCompareOptions, AbCompareResult } from './ab-compare.ts'
export type { AcknowledgedRegression } from './acknowledged-regressions.ts'
export type { CalibrateOptions, CalibrateResult } from './calibrate.ts'
export type { ChangePoint, ChangePointOptions } from './changepoints.ts'
export type { GitHubClientOptions, UpsertCommentResult, CheckRunOptions, CommentTarget } from './github.ts'
export type { FlameNode, FlameSvgOptions } from './flame-graph.ts'
export type { UnconfirmedSlowdown } from './headline.ts'
export type {
  HtmlReportInput,
  HtmlCaseSeries,
  HtmlCaseVerdict,
  HtmlRun,
  HtmlChangePoint,
  HtmlProfileComparison,
} from './html-report.ts'
