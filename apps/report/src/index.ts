// The report's programmatic API: load the history, pick the runs, compare them, render the result —
// what the `report` CLI does, for a script that wants the comparison as a value. Nothing in the
// workspace imports the package (its tests and benchmark import modules by path), so each export is
// `@public`: kept for callers outside the workspace, as the README's "Programmatic API" shows.
/** @public Reads every run under a history directory (the CLI's first step). */
export { loadHistory } from './load-history.ts'
/** @public Picks the current run and its baseline from a loaded history. */
export { selectRuns } from './select-runs.ts'
/** @public Judges each case of the current run against the baseline. */
export { compareRuns } from './compare-runs.ts'
/** @public Reads `ttapi.report.json` (thresholds, alpha, resamples) with its defaults. */
export { loadConfig } from './config.ts'
/** @public Renders a comparison as the Markdown report (the PR comment). */
export { renderMarkdown } from './render-markdown.ts'
/** @public Renders a comparison as the JSON report (`reportJsonSchema`). */
export { renderJson } from './render-json.ts'
/** @public Renders a comparison for a terminal of a given width. */
export { renderTerminal } from './render-terminal.ts'
/** @public The base of every error the report throws (`code` says which); callers branch on it. */
export { ReportError } from './errors.ts'
export type * from './types.ts'
export type { ReportErrorCode } from './errors.ts'
