import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeAtomic } from './_write-atomic.ts'
import type { RecordedRun, RunMode, StageHistory, StageHistoryFile, StageInputs } from './types.ts'
import { makeDir } from '@ttapi/bench/make-dir'

/** File name of the stage history inside the out directory. */
export const HISTORY_FILE = 'stage-history.json'

/** Sets of inputs kept in the file; the least recently run are dropped. */
const MAX_ENTRIES = 16

function isRecordedRun(value: unknown): value is RecordedRun {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<RecordedRun>
  const ms = v.ms as Record<string, unknown> | undefined
  return (
    typeof v.at === 'string' &&
    typeof ms === 'object' &&
    ms !== null &&
    ['collection', 'import', 'analysis', 'total'].every((k) => typeof ms[k] === 'number') &&
    Array.isArray(v.fallbacks)
  )
}

function isInputs(value: unknown): value is StageInputs {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    ['data', 'fingerprint', 'universe', 'source'].every((k) => typeof v[k] === 'string') &&
    (v.dataset === null || typeof v.dataset === 'string')
  )
}

/** Whether two sets of inputs are the same. */
function sameInputs(a: StageInputs, b: StageInputs): boolean {
  return (
    a.data === b.data &&
    a.fingerprint === b.fingerprint &&
    a.universe === b.universe &&
    a.dataset === b.dataset &&
    a.source === b.source
  )
}

/**
 * Reads the stage history of an out directory. A missing file is an empty history; an unreadable or malformed one
 * is an empty history plus a warning (the file is rewritten after the run), and a file of the first layout (one cold
 * and one cached run, whatever their inputs) is dropped: its runs cannot be matched to inputs. Synchronous, like the
 * write: a file of a few kilobytes costs less than a thread-pool round trip.
 * @param outDir - The out directory.
 * @param warn - Receives the warning.
 */
export function readStageHistory(outDir: string, warn: (message: string) => void): StageHistoryFile {
  const file = join(outDir, HISTORY_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${file}: ${(error as Error).message}`)
    return { version: 2, entries: [] }
  }
  let value: Partial<StageHistoryFile>
  try {
    value = JSON.parse(text) as Partial<StageHistoryFile>
  } catch (error) {
    warn(`${file} is not valid JSON (${(error as Error).message}); starting a new stage history`)
    return { version: 2, entries: [] }
  }
  if (value.version !== 2 || !Array.isArray(value.entries)) return { version: 2, entries: [] }
  const entries: StageHistoryFile['entries'] = []
  for (const e of value.entries as unknown[]) {
    const entry = (e ?? {}) as Partial<StageHistoryFile['entries'][number]>
    if (!isInputs(entry.inputs)) continue
    entries.push({
      version: 1,
      inputs: entry.inputs,
      cold: isRecordedRun(entry.cold) ? entry.cold : null,
      cached: isRecordedRun(entry.cached) ? entry.cached : null,
    })
  }
  return { version: 2, entries }
}

/**
 * The last cold and cached run over the same inputs: the two columns of the stage table.
 * @param history - The file's contents.
 * @param inputs - This run's inputs.
 */
export function historyFor(history: StageHistoryFile, inputs: StageInputs): StageHistory {
  const entry = history.entries.find((e) => sameInputs(e.inputs, inputs))
  return { version: 1, cold: entry?.cold ?? null, cached: entry?.cached ?? null }
}

/**
 * Records a run as the last of its kind for its inputs and writes the history atomically (temp file, then rename).
 * Call it only for a run whose stages all ran: a failed stage's time is not a time to compare.
 * @param outDir - The out directory.
 * @param history - The history read before the run.
 * @param inputs - The run's inputs.
 * @param mode - The kind of run.
 * @param run - Its timings.
 * @returns the new history, the pair of runs for these inputs, and the file written
 */
export function writeStageHistory(
  outDir: string,
  history: StageHistoryFile,
  inputs: StageInputs,
  mode: RunMode,
  run: RecordedRun,
): { history: StageHistoryFile; runs: StageHistory; file: string } {
  const runs: StageHistory = { ...historyFor(history, inputs), [mode]: run }
  const next: StageHistoryFile = {
    version: 2,
    entries: [{ ...runs, inputs }, ...history.entries.filter((e) => !sameInputs(e.inputs, inputs))].slice(
      0,
      MAX_ENTRIES,
    ),
  }
  const file = join(outDir, HISTORY_FILE)
  makeDir(dirname(file))
  writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`)
  return { history: next, runs, file }
}
