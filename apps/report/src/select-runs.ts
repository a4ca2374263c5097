import { basename } from 'node:path'
import { SelectorError } from './errors.ts'
import type { History, Run, RunSelection, SelectRunsOptions } from './types.ts'

/**
 * Whether a selector names a run: its id, its label, its UTC date (`2026-11-26`), one of its files
 * (with or without `.ndjson`, with or without a directory), or its commit (full or a prefix of at
 * least 4 hex digits).
 * @param run - the run.
 * @param selector - what the user typed.
 */
export function runMatches(run: Run, selector: string): boolean {
  if (run.id === selector || run.label === selector) return true
  if (/^\d{4}-\d{2}-\d{2}$/.test(selector)) return run.date === selector
  const file = basename(selector)
  if (run.files.includes(file) || run.files.includes(`${file}.ndjson`)) return true
  if (/^[0-9a-f]{4,40}$/i.test(selector) && run.commit !== null)
    return run.commit.toLowerCase().startsWith(selector.toLowerCase())
  return false
}

/**
 * Picks the current and baseline runs. `current` defaults to the newest run. `baseline` picks the
 * newest matching run other than the current one, preferring runs that started before it; without a
 * selector it is the newest run labelled `baselineLabel` (default `main`) older than the current one,
 * or null when there is none.
 * @throws SelectorError when a selector matches no run; the one-line message lists what exists.
 * @example selectRuns(history, { baseline: 'main' }) // { baseline: newest main run before the newest run, current: newest run }
 */
export function selectRuns(history: History, options: SelectRunsOptions = {}): RunSelection {
  const runs = history.runs
  const newestFirst = [...runs].reverse()
  let current: Run | undefined
  if (options.current === undefined) current = newestFirst[0]
  else {
    current = newestFirst.find((r) => runMatches(r, options.current!))
    if (current === undefined) throw new SelectorError(unknownMessage('--current', options.current, runs))
  }
  if (current === undefined) throw new SelectorError('report: the history holds no run')
  const before = (r: Run): boolean => r !== current && r.startedAt < current.startedAt
  if (options.baseline === undefined) {
    const label = options.baselineLabel ?? 'main'
    return { baseline: newestFirst.find((r) => before(r) && r.label === label) ?? null, current }
  }
  const matches = newestFirst.filter((r) => r !== current && runMatches(r, options.baseline!))
  const baseline = matches.find(before) ?? matches[0]
  if (baseline === undefined) {
    const onlyCurrent = runMatches(current, options.baseline)
    throw new SelectorError(
      onlyCurrent
        ? `report: --baseline ${JSON.stringify(options.baseline)} matches only the current run ${current.id}; pick an older run (see \`report list\`)`
        : unknownMessage('--baseline', options.baseline, runs),
    )
  }
  return { baseline, current }
}

/** One line: what did not match and what exists. */
function unknownMessage(option: string, selector: string, runs: Run[]): string {
  const labels = new Map<string, number>()
  for (const r of runs) labels.set(r.label, (labels.get(r.label) ?? 0) + 1)
  const labelList = [...labels].map(([l, n]) => `${l} (${n})`).join(', ')
  const dates = runs.length > 0 ? `${runs[0]!.date} to ${runs.at(-1)!.date}` : 'none'
  const newest = runs
    .slice(-3)
    .reverse()
    .map((r) => `${r.id}${r.commit ? ` @${r.commit.slice(0, 7)}` : ''}`)
    .join(', ')
  return (
    `report: ${option} ${JSON.stringify(selector)} matches no run (tried label, date, file, commit, run id); ` +
    `labels: ${labelList}; dates: ${dates}; newest runs: ${newest}; see \`report list\``
  )
}
