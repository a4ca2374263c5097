import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HISTORY_FILE, historyFor, readStageHistory, writeStageHistory } from '../src/stage-history.ts'
import { writeSyntheticMarket } from '../src/synthetic-data.ts'
import type { RecordedRun, StageInputs } from '../src/types.ts'
import { sp500Symbols } from '@ttapi/collector'
import { runCli } from './_cli.ts'

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

const inputs: StageInputs = { data: '/d', fingerprint: 'f1', universe: 'sp500', dataset: 'quick', source: 'embedded' }

describe('stage history', () => {
  it('starts empty, keeps the last run of each kind per set of inputs', () => {
    const dir = tmp()
    const warnings: string[] = []
    const empty = readStageHistory(dir, (m) => void warnings.push(m))
    expect(empty).toEqual({ version: 2, entries: [] })
    expect(historyFor(empty, inputs)).toEqual({ version: 1, cold: null, cached: null })
    const a = writeStageHistory(dir, empty, inputs, 'cold', run)
    const b = writeStageHistory(dir, a.history, inputs, 'cached', { ...run, fallbacks: ['import'] })
    const c = writeStageHistory(dir, b.history, inputs, 'cold', { ...run, symbols: 7 })
    expect(readStageHistory(dir, (m) => void warnings.push(m))).toEqual(c.history)
    expect(c.runs.cold?.symbols).toBe(7)
    expect(c.runs.cached?.fallbacks).toEqual(['import'])
    expect(warnings).toEqual([])
  })

  it('compares only runs over the same inputs: another data directory, fingerprint, universe or source has its own pair', () => {
    const dir = tmp()
    let h = writeStageHistory(
      dir,
      readStageHistory(dir, () => {}),
      inputs,
      'cold',
      run,
    ).history
    for (const other of [
      { ...inputs, data: '/e' },
      { ...inputs, fingerprint: 'f2' },
      { ...inputs, universe: 'u.txt' },
      { ...inputs, dataset: null },
      { ...inputs, source: 'http://127.0.0.1:9' },
    ]) {
      expect(historyFor(h, other)).toEqual({ version: 1, cold: null, cached: null })
      const w = writeStageHistory(dir, h, other, 'cached', { ...run, data: other.data })
      expect(w.runs).toEqual({ version: 1, cold: null, cached: { ...run, data: other.data } })
      h = w.history
    }
    // The first inputs' cold run is still there, with no cached run of theirs.
    expect(
      historyFor(
        readStageHistory(dir, () => {}),
        inputs,
      ),
    ).toEqual({ version: 1, cold: run, cached: null })
  })

  it('a malformed file is a warning and an empty history; a malformed entry is dropped; the old layout is dropped', () => {
    const dir = tmp()
    writeFileSync(join(dir, HISTORY_FILE), '{not json')
    const warnings: string[] = []
    expect(readStageHistory(dir, (m) => void warnings.push(m))).toEqual({ version: 2, entries: [] })
    expect(warnings[0]).toMatch(/stage-history\.json is not valid JSON/)
    writeFileSync(
      join(dir, HISTORY_FILE),
      JSON.stringify({ version: 2, entries: [{ inputs: { data: 1 } }, { inputs, cold: { at: 'x' }, cached: run }] }),
    )
    expect(readStageHistory(dir, () => {})).toEqual({
      version: 2,
      entries: [{ version: 1, inputs, cold: null, cached: run }],
    })
    // Version 1 held one cold and one cached run whatever their inputs: nothing in it can be compared.
    writeFileSync(join(dir, HISTORY_FILE), JSON.stringify({ version: 1, cold: run, cached: run }))
    expect(readStageHistory(dir, () => {})).toEqual({ version: 2, entries: [] })
    expect(JSON.parse(readFileSync(join(dir, HISTORY_FILE), 'utf8')).cold).toEqual(run)
  })
})

describe('the stage table of ttapi run (subprocess)', () => {
  const SERVER = ['--server-latency', '2', '--server-jitter', '0']

  it('compares a cached run only with a cold run over the same inputs, and never records a failed run', async () => {
    const dir = tmp()
    const a = join(dir, 'a')
    const b = join(dir, 'b')
    await writeSyntheticMarket(a, 'tiny', 'metastock', 1)
    await writeSyntheticMarket(b, 'tiny', 'metastock', 1)
    writeFileSync(join(dir, 'universe.txt'), `${sp500Symbols.slice(0, 3).join('\n')}\n`)
    const run = (...args: string[]) =>
      runCli(['run', '--home', join(dir, 'home'), '--universe', 'universe.txt', ...SERVER, ...args], dir)
    const history = join(dir, 'home', 'out', HISTORY_FILE)

    const coldA = await run('--cold', '--data', a)
    expect(coldA.code, coldA.stderr).toBe(0)
    const recorded = readStageHistory(join(dir, 'home', 'out'), () => {})
    const coldAt = recorded.entries[0]!.cold!.at

    // Another data folder: nothing to compare with, whatever ran on the first.
    const cachedB = await run('--cached', '--data', b)
    expect(cachedB.code, cachedB.stderr).toBe(0)
    expect(cachedB.stdout).toContain('cold: no run yet; cached: this run')
    expect(cachedB.stdout).toMatch(/\| EOD import +\| +— \| +[\d.]+ m?s \* \| +— \|/)

    // A run whose import fails is not recorded: the file is left as it was, and its table says so.
    const empty = join(dir, 'empty')
    mkdirSync(empty)
    writeFileSync(join(empty, 'broken.parquet'), 'not parquet')
    const before = readFileSync(history, 'utf8')
    const failed = await run('--cold', '--data', empty)
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('This run is not in the table: import, analysis failed.')
    expect(readFileSync(history, 'utf8')).toBe(before)

    // The cached run on the first folder compares with its own good cold run.
    const cachedA = await run('--cached', '--data', a)
    expect(cachedA.code, cachedA.stderr).toBe(0)
    expect(cachedA.stdout).toContain(`cold: run of ${coldAt} (3 symbols, 3,600 rows); cached: this run`)
    expect(cachedA.stdout).toMatch(/\| EOD import +\| +[\d.]+ m?s \| +[\d.]+ m?s \| +[\d.]+x \|/)
  })
})
