import { basename } from 'node:path'
import { SelectorError } from './errors.ts'
import { configKey, isBusy } from './comparable.ts'
import { caseKey } from './load-history.ts'
import type { BaselineChoice, History, HistoryRecord, Run, RunSelection, SelectRunsOptions } from './types.ts'

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
 * Picks the current run and each case's baseline. `current` defaults to the newest run. Without a
 * `baseline` selector every case of the current run gets, on its own, the newest earlier record
 * labelled `baselineLabel` (default `main`) that is comparable: the same machine and the same
 * configuration (profile, settings, dataset size), preferring records measured on a quiet machine.
 * When no case has one, `noComparable` says in one line what the history holds and how to record a
 * baseline. With a selector, the newest matching run other than the current one (preferring runs that
 * started before it) gives every case its baseline, comparable or not: the comparison marks what it
 * cannot judge.
 * @throws SelectorError when a selector matches no run; the one-line message lists what exists.
 * @example selectRuns(history, {}).baselines.get('@ttapi/cache/cache/get_hot')?.run.id
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
  const cur = current
  const before = (r: Run): boolean => r !== cur && r.startedAt < cur.startedAt
  if (options.baseline === undefined) {
    const label = options.baselineLabel ?? 'main'
    const candidates = newestFirst.filter((r) => before(r) && r.label === label && r.machine.id === cur.machine.id)
    const baselines = new Map<string, BaselineChoice>()
    // Each candidate run's records by case, built on first use: a case absent from many runs scans them all.
    const byCase = new Map<Run, Map<string, HistoryRecord>>()
    const recordOf = (run: Run, key: string): HistoryRecord | undefined => {
      let m = byCase.get(run)
      if (m === undefined) byCase.set(run, (m = new Map(run.records.map((x) => [caseKey(x.record), x]))))
      return m.get(key)
    }
    for (const { record } of cur.records) {
      const key = caseKey(record)
      const want = configKey(record)
      let quiet: BaselineChoice | undefined
      let any: BaselineChoice | undefined
      for (const run of candidates) {
        const hr = recordOf(run, key)
        if (hr === undefined || configKey(hr.record) !== want) continue
        any ??= { ...hr, run }
        if (!isBusy(hr.record)) {
          quiet = { ...hr, run }
          break
        }
      }
      const pick = quiet ?? any
      if (pick !== undefined) baselines.set(key, pick)
    }
    const used = new Set([...baselines.values()].map((b) => b.run))
    const baseline = newestFirst.find((r) => used.has(r)) ?? null
    return {
      baseline,
      current: cur,
      baselines,
      mode: 'default',
      noComparable: baseline === null ? noComparableMessage(runs, cur, label) : null,
    }
  }
  const matches = newestFirst.filter((r) => r !== cur && runMatches(r, options.baseline!))
  const baseline = matches.find(before) ?? matches[0]
  if (baseline === undefined) {
    const onlyCurrent = runMatches(cur, options.baseline)
    throw new SelectorError(
      onlyCurrent
        ? `report: --baseline ${JSON.stringify(options.baseline)} matches only the current run ${cur.id}; pick an older run (see \`report list\`)`
        : unknownMessage('--baseline', options.baseline, runs),
    )
  }
  const baselines = new Map<string, BaselineChoice>(
    baseline.records.map((hr) => [caseKey(hr.record), { ...hr, run: baseline }]),
  )
  return { baseline, current: cur, baselines, mode: 'explicit', noComparable: null }
}

/**
 * "No comparable baseline for run X on AMD EPYC ×2, 24 GiB, linux x64: the history holds 2 main
 * runs from other machines (Intel Xeon Processor ×2, 24 GiB, linux x64 ×2, newest 2026-11-27);
 * record one here with `pnpm bench -- --save-baseline main`".
 */
function noComparableMessage(runs: Run[], current: Run, label: string): string {
  const labelled = runs.filter((r) => r !== current && r.label === label && r.startedAt < current.startedAt)
  const others = new Map<string, { n: number; newest: string }>()
  let sameMachine = 0
  for (const r of labelled) {
    if (r.machine.id === current.machine.id) {
      sameMachine++
      continue
    }
    const e = others.get(r.machine.name) ?? { n: 0, newest: r.date }
    e.n++
    if (r.date > e.newest) e.newest = r.date
    others.set(r.machine.name, e)
  }
  const parts: string[] = []
  const otherRuns = [...others.values()].reduce((a, e) => a + e.n, 0)
  if (otherRuns > 0)
    parts.push(
      `${otherRuns} ${label} run(s) from other machines (${[...others]
        .map(([name, e]) => `${name} ×${e.n}, newest ${e.newest}`)
        .join('; ')})`,
    )
  if (sameMachine > 0) parts.push(`${sameMachine} ${label} run(s) on this machine with other settings or cases`)
  const holds =
    parts.length > 0 ? `the history holds ${parts.join(' and ')}` : `the history holds no ${label} run before it`
  return (
    `No comparable baseline for run ${current.id} on ${current.machine.name}: ${holds}; ` +
    `showing this run's figures alone. Record a baseline on this machine with \`pnpm bench -- --save-baseline ${label}\``
  )
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
