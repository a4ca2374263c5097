import { envWarning } from './_format.ts'
import { reportNotes, summaryBullets } from './summary.ts'
import type { Comparison, JsonReport, ReportContext } from './types.ts'

/**
 * The machine-readable report ({@link JsonReport}, schema `ttapi.report/v2`, described by
 * `reportJsonSchema`): the same content as the markdown report.
 */
export function buildJsonReport(c: Comparison, context: ReportContext): JsonReport {
  const warning = envWarning(c)
  return {
    schema: 'ttapi.report/v2',
    generatedAt: context.generatedAt ?? new Date().toISOString(),
    history: { dir: context.historyDir, files: context.files, records: context.records, badLines: context.badLines },
    warnings: warning === null ? [] : [warning],
    summary: summaryBullets(c),
    notes: reportNotes(c, context),
    ...c,
  }
}

/** {@link buildJsonReport} as pretty-printed JSON text with a final newline. */
export function renderJson(c: Comparison, context: ReportContext): string {
  return `${JSON.stringify(buildJsonReport(c, context), null, 2)}\n`
}
