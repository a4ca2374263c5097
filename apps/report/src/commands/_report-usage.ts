// The `report` command's usage text and formats, apart from its module: `report --help` prints them without
// loading the comparison, the renderers or DuckDB.

/** The `--format`s of `report`; `RENDERERS` in report.ts has one renderer for each. */
export const REPORT_FORMATS = ['terminal', 'md', 'json', 'html'] as const

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** Usage text of `report`. */
export const REPORT_USAGE: string = `Usage: report [--baseline SEL] [--current SEL] [--format ${REPORT_FORMATS.join('|')}] [--out FILE]
              [--fail-on-regression] [--strict] [--strict-env] [--cross-machine] [--judge-busy]
              [--history DIR] [--config FILE] [--wide]
  SEL is a label, a date (2026-11-26), a file name, a commit (full or short) or a run id.
  --current defaults to the newest run. Without --baseline each case is compared with its newest
  earlier record labelled main from the same machine with the same configuration; with none, the
  current figures are shown alone. A --baseline from another machine shows ratios, not verdicts,
  unless --cross-machine; cases measured on a busy machine are not judged unless --judge-busy.
  --fail-on-regression exits 1 when a case regressed; usage and data errors exit 2.
  The terminal table fits the terminal (100 columns when not one) and lists only the cases that
  need a look; --wide (or --out) shows every column and every case.
`
