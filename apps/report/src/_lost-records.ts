// Which run lost a record to a bad line: a torn or glued line names its run (`"run":{"id":"…"`),
// or sits between two lines of one run. The report warns when the runs it shows lost records.
import { basename } from 'node:path'
import type { BadLine, Comparison, ReportContext } from './types.ts'

/** `"run":{"id":"…"` as the harness writes it (JSON.stringify puts the id first), spaces allowed. */
const RUN_ID = /"run"\s*:\s*\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"/g

/** The run id of every record a line's text begins, in order (two for a record glued onto a torn one). */
export function runIdsInText(text: string): string[] {
  return [...text.matchAll(RUN_ID)].map((m) => m[1]!)
}

/**
 * Sets `runs` on each bad line that lost a record: the run ids its text names, else the run whose
 * valid lines come right before and right after it in the same file.
 * @param bad - the lines that failed to parse or validate (not duplicates), with their text.
 * @param runs - the runs read, records located by file and line.
 */
export function markLostRecords(
  bad: { line: BadLine; text: string }[],
  runs: readonly { id: string; records: readonly { file: string; line: number }[] }[],
): void {
  if (bad.length === 0) return
  const byFile = new Map<string, { line: number; run: string }[]>()
  for (const run of runs)
    for (const r of run.records) {
      const list = byFile.get(r.file) ?? []
      list.push({ line: r.line, run: run.id })
      byFile.set(r.file, list)
    }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line)
  for (const { line, text } of bad) {
    const named = runIdsInText(text)
    if (named.length > 0) {
      line.runs = named
      continue
    }
    const list = byFile.get(line.file) ?? []
    let after = 0
    while (after < list.length && list[after]!.line < line.line) after++
    const prev = list[after - 1]
    const next = list[after]
    if (prev !== undefined && next !== undefined && prev.run === next.run) line.runs = [prev.run]
  }
}

/**
 * One warning per run of the comparison (current, baseline, or a run newer than the current one,
 * which lost so much it is not shown) that lost records to bad lines.
 * @example lostRecordWarnings(c, context) // ['WARNING: run X (the current run) lost 1 record: benchmarks/a.ndjson:12 is not a whole line']
 */
export function lostRecordWarnings(c: Comparison, context: Pick<ReportContext, 'historyDir' | 'badLines'>): string[] {
  const lost = new Map<string, BadLine[]>()
  for (const b of context.badLines)
    for (const id of b.runs ?? []) {
      const list = lost.get(id) ?? []
      list.push(b)
      lost.set(id, list)
    }
  const out: string[] = []
  const dir = basename(context.historyDir)
  for (const [id, lines] of lost) {
    const newer = id > c.current.id
    if (id !== c.current.id && id !== c.baseline?.id && !newer) continue
    const distinct = [...new Set(lines)]
    const where = distinct
      .slice(0, 5)
      .map(
        (b) =>
          `${dir}/${b.file}:${b.line} is ${b.reason.startsWith('malformed JSON') ? 'not a whole line' : 'not a valid record'}`,
      )
    const more = distinct.length > 5 ? `; … and ${distinct.length - 5} more` : ''
    const role =
      id === c.current.id
        ? ' (the current run)'
        : id === c.baseline?.id
          ? ' (the baseline)'
          : ` (newer than the current run ${c.current.id}, which is shown instead)`
    out.push(
      `WARNING: run ${id}${role} lost ${lines.length} record${lines.length === 1 ? '' : 's'}: ${where.join('; ')}${more}`,
    )
  }
  return out
}
