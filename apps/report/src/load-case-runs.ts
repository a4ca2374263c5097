import { resolveCaseKey } from './case-history.ts'
import { loadHistory } from './load-history.ts'
import { caseLines } from './run-index.ts'
import type { IndexedRun, RunIndex } from './run-index.ts'
import type { BadLine, History, Run } from './types.ts'

/**
 * The history of one case, read by that case alone: every run's metadata from the run index, and the
 * records (read and validated, as `loadHistory` does) of that case only; the other runs and cases carry
 * no records. `changepoints CASE` over it finds what it finds over the whole history.
 * @param index - the run index of the history.
 * @param selector - a case name, `suite/case` or `package/suite/case`.
 * @param strict - throw on a bad line, as `loadHistory`.
 * @throws SelectorError as `caseHistory` (no such case, or ambiguous); HistoryError as `loadHistory`.
 * @example (await loadCaseRuns(index, 'collect_symbols')).key
 */
export async function loadCaseRuns(
  index: RunIndex,
  selector: string,
  strict = false,
): Promise<{ key: string; history: History }> {
  const byCase = await caseLines(index)
  const key = resolveCaseKey(new Set(byCase.keys()), selector)
  const read = await loadHistory(index.dir, { strict, lines: byCase.get(key)! })
  const loaded = new Map(read.runs.map((r) => [r.id, r]))
  const seen = new Set(index.badLines.map((b) => `${b.file}:${b.line}`))
  const badLines: BadLine[] = [...index.badLines, ...read.badLines.filter((b) => !seen.has(`${b.file}:${b.line}`))]
  badLines.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  const runs = index.runs.map((r) => loaded.get(r.id) ?? metaRun(r))
  return { key, history: { dir: index.dir, files: index.files, recordCount: read.recordCount, runs, badLines } }
}

/** A run with its metadata and no records. */
function metaRun(r: IndexedRun): Run {
  const { cases: _cases, lines: _lines, ...meta } = r
  return { ...meta, records: [] }
}
