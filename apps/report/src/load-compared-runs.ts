import { indexedCases } from './run-index.ts'
import { lineNumbers } from './run-index.ts'
import type { IndexedCase, IndexedRun, RunIndex } from './run-index.ts'
import { loadHistory } from './load-history.ts'
import { selectRuns } from './select-runs.ts'
import type { BadLine, History, Run, RunSelection, SelectRunsOptions } from './types.ts'

/**
 * The history a comparison needs, read by what is compared, not by the size of the history: every
 * run's metadata from the run index, and the records (read and validated, as `loadHistory` does)
 * of the current run and of the runs that give its cases their baselines only. The other runs carry
 * no records. The selection is `selectRuns` over that history, which gives the same runs and
 * baselines as over the whole history: each case's baseline run is read, and the newer candidates
 * it was chosen over had no comparable quiet record of the case.
 * `badLines` are the index's (every file) plus any found reading the chosen runs (a case one run
 * recorded in two files).
 * @param index - the run index of the history.
 * @param options - the run selectors, as `selectRuns`.
 * @param strict - throw on a bad line, as `loadHistory`.
 * @throws SelectorError as `selectRuns`; HistoryError as `loadHistory`.
 */
export async function loadComparedRuns(
  index: RunIndex,
  options: SelectRunsOptions,
  strict = false,
): Promise<{ history: History; selection: RunSelection }> {
  const meta: History = {
    dir: index.dir,
    files: index.files,
    recordCount: index.recordCount,
    runs: index.runs.map(metaRun),
    badLines: index.badLines,
  }
  // Current and an explicit baseline resolve on metadata alone (and fail with selectRuns' messages).
  const probe = selectRuns(meta, options)
  const byId = new Map(index.runs.map((r) => [r.id, r]))
  const current = byId.get(probe.current.id)!
  const needed = new Set<IndexedRun>([current])
  if (probe.mode === 'explicit') needed.add(byId.get(probe.baseline!.id)!)
  else for (const run of await defaultBaselineRuns(index, current, options.baselineLabel ?? 'main')) needed.add(run)
  const lines = new Map<string, Set<number>>()
  for (const run of needed)
    for (const [file, ranges] of run.lines) {
      const set = lines.get(file) ?? new Set<number>()
      for (const n of lineNumbers(ranges)) set.add(n)
      lines.set(file, set)
    }
  const read = await loadHistory(index.dir, { strict, lines })
  const loaded = new Map(read.runs.map((r) => [r.id, r]))
  const seen = new Set(index.badLines.map((b) => `${b.file}:${b.line}`))
  const badLines: BadLine[] = [...index.badLines, ...read.badLines.filter((b) => !seen.has(`${b.file}:${b.line}`))]
  badLines.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1))
  const history: History = { ...meta, runs: meta.runs.map((r) => loaded.get(r.id) ?? r), badLines }
  return { history, selection: selectRuns(history, options) }
}

/** A run with its metadata and no records. */
function metaRun(r: IndexedRun): Run {
  return {
    id: r.id,
    label: r.label,
    startedAt: r.startedAt,
    date: r.date,
    commit: r.commit,
    branch: r.branch,
    dirty: r.dirty,
    fingerprint: r.fingerprint,
    fingerprints: r.fingerprints,
    machine: r.machine,
    selections: r.selections,
    selectionKnown: r.selectionKnown,
    env: r.env,
    config: r.config,
    files: r.files,
    records: [],
  }
}

/**
 * The runs `selectRuns` may take a default baseline from, found from the index's cases: per case of
 * the current run, the candidates newest first up to the first comparable record measured on a
 * quiet machine, and the first comparable one. Candidates' cases are read newest first and only
 * until every case has its quiet baseline.
 */
async function defaultBaselineRuns(index: RunIndex, current: IndexedRun, label: string): Promise<IndexedRun[]> {
  const candidates = index.runs
    .filter(
      (r) =>
        r !== current && r.startedAt < current.startedAt && r.label === label && r.machine.id === current.machine.id,
    )
    .reverse()
  const open = new Map<string, string>()
  for (const [key, config] of (await indexedCases(index, [current])).get(current.id) ?? []) open.set(key, config)
  const found = new Set<string>()
  const out: IndexedRun[] = []
  // Candidates' cases in batches, newest first: most cases find a quiet baseline in the newest one.
  for (let start = 0; start < candidates.length && open.size > 0;) {
    const batch = candidates.slice(start, (start = Math.max(start * 2, start + 1)))
    const cases = await indexedCases(index, batch)
    for (const run of batch) {
      let used = false
      for (const [key, config, busy] of cases.get(run.id) ?? ([] as IndexedCase[])) {
        if (open.get(key) !== config) continue
        if (!found.has(key)) {
          found.add(key)
          used = true
        }
        if (!busy) {
          open.delete(key)
          used = true
        }
      }
      if (used) out.push(run)
    }
  }
  return out
}
