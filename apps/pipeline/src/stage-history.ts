import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeAtomic } from './_write-atomic.ts'
import type { RecordedRun, RunMode, StageHistory } from './types.ts'
import { makeDir } from './_make-dir.ts'

/** File name of the stage history inside the out directory. */
export const HISTORY_FILE = 'stage-history.json'

const EMPTY: StageHistory = { version: 1, cold: null, cached: null }

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

/**
 * Reads the stage history of an out directory. A missing file is an empty history; an unreadable or malformed one
 * is an empty history plus a warning (the file is rewritten after the run). Synchronous, like the write: a file of
 * a few hundred bytes costs less than a thread-pool round trip.
 * @param outDir - The out directory.
 * @param warn - Receives the warning.
 */
export function readStageHistory(outDir: string, warn: (message: string) => void): StageHistory {
  const file = join(outDir, HISTORY_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${file}: ${(error as Error).message}`)
    return { ...EMPTY }
  }
  try {
    const value = JSON.parse(text) as Partial<StageHistory>
    return {
      version: 1,
      cold: isRecordedRun(value.cold) ? value.cold : null,
      cached: isRecordedRun(value.cached) ? value.cached : null,
    }
  } catch (error) {
    warn(`${file} is not valid JSON (${(error as Error).message}); starting a new stage history`)
    return { ...EMPTY }
  }
}

/**
 * Records a run as the last of its kind and writes the history atomically (temp file, then rename).
 * @param outDir - The out directory.
 * @param history - The history read before the run.
 * @param mode - The kind of run.
 * @param run - Its timings.
 * @returns the new history and the file written
 */
export function writeStageHistory(
  outDir: string,
  history: StageHistory,
  mode: RunMode,
  run: RecordedRun,
): { history: StageHistory; file: string } {
  const next: StageHistory = { ...history, [mode]: run }
  const file = join(outDir, HISTORY_FILE)
  makeDir(dirname(file))
  writeAtomic(file, `${JSON.stringify(next, null, 2)}\n`)
  return { history: next, file }
}
