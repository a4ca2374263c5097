import { affectedMarkdown } from './affected-packages.ts'
import type { AffectedSelection } from './affected-packages.ts'

/** What the gate's PR comment and check run say. */
export interface GateOutcome {
  /** One-line verdict, also the check run's title. */
  title: string
  /** The comment's Markdown: verdict, what was benched and why, then the report (or the tool's error). */
  body: string
}

/**
 * The PR comment of the benchmark gate. A confirmed regression (exit 1) and a tool error (exit 2:
 * the comparison could not run) read differently: the first is a verdict on the code, the second is not.
 * @param o.exitCode - the exit code of `report compare`, or null when nothing was benched.
 * @param o.selection - the affected-package selection (`report affected --out`).
 * @param o.report - the report Markdown, or null when none was written.
 * @param o.log - the compare step's stderr, shown (last 30 lines) for a tool error.
 */
export function gateComment(o: {
  exitCode: number | null
  selection: AffectedSelection
  report: string | null
  log: string | null
}): GateOutcome {
  const title =
    o.exitCode === null
      ? 'No benchmark covers the changed packages'
      : o.exitCode === 0
        ? 'No confirmed performance regression'
        : o.exitCode === 1
          ? 'Confirmed performance regression'
          : `Benchmark tool error (exit ${o.exitCode}): no verdict`
  const icon = o.exitCode === null || o.exitCode === 0 ? '✅' : o.exitCode === 1 ? '❌' : '⚠️'
  const parts = [`## ${icon} ${title}`, '', affectedMarkdown(o.selection)]
  if (o.exitCode !== null && o.exitCode > 1) {
    const tail = (o.log ?? '').trimEnd().split('\n').slice(-30).join('\n')
    parts.push(
      '',
      'The comparison itself failed, so this is not a verdict on the code: fix the tool error below (or re-run the job if the runner failed), then the gate judges again. A confirmed regression would read "Confirmed performance regression".',
      '',
      '```text',
      tail || '(no output)',
      '```',
    )
  }
  if (o.report !== null && o.report.trim() !== '') parts.push('', o.report.trimEnd())
  return { title, body: `${parts.join('\n')}\n` }
}
