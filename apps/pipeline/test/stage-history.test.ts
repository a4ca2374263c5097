import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HISTORY_FILE, readStageHistory, writeStageHistory } from '../src/stage-history.ts'
import type { RecordedRun } from '../src/types.ts'

const dirs: string[] = []
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'ttapi-history-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const run: RecordedRun = {
  at: '2026-11-27T00:00:00.000Z',
  symbols: 6,
  rows: 3600,
  data: '/d',
  ms: { collection: 1, import: 2, analysis: 3, total: 7 },
  fallbacks: [],
}

describe('stage history', () => {
  it('starts empty, keeps the last run of each kind', () => {
    const dir = tmp()
    const warnings: string[] = []
    const empty = readStageHistory(dir, (m) => void warnings.push(m))
    expect(empty).toEqual({ version: 1, cold: null, cached: null })
    const a = writeStageHistory(dir, empty, 'cold', run)
    const b = writeStageHistory(dir, a.history, 'cached', { ...run, fallbacks: ['import'] })
    const c = writeStageHistory(dir, b.history, 'cold', { ...run, symbols: 7 })
    expect(readStageHistory(dir, (m) => void warnings.push(m))).toEqual(c.history)
    expect(c.history.cold?.symbols).toBe(7)
    expect(c.history.cached?.fallbacks).toEqual(['import'])
    expect(warnings).toEqual([])
  })

  it('a malformed file is a warning and an empty history; a malformed entry is dropped', () => {
    const dir = tmp()
    writeFileSync(join(dir, HISTORY_FILE), '{not json')
    const warnings: string[] = []
    expect(readStageHistory(dir, (m) => void warnings.push(m))).toEqual({ version: 1, cold: null, cached: null })
    expect(warnings[0]).toMatch(/stage-history\.json is not valid JSON/)
    writeFileSync(join(dir, HISTORY_FILE), JSON.stringify({ cold: { at: 'x', ms: { total: 'slow' } }, cached: run }))
    expect(readStageHistory(dir, () => {})).toEqual({ version: 1, cold: null, cached: run })
    expect(JSON.parse(readFileSync(join(dir, HISTORY_FILE), 'utf8')).cached).toEqual(run)
  })
})
