import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { compareRuns } from '../src/compare-runs.ts'
import { loadComparedRuns } from '../src/load-compared-runs.ts'
import { loadHistory } from '../src/load-history.ts'
import { renderJson } from '../src/render-json.ts'
import { loadRunIndex } from '../src/run-index.ts'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import type { SyntheticRun } from '../src/_synthetic.ts'
import { selectRuns } from '../src/select-runs.ts'
import { loadReportConfig } from '../src/commands/_common.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import type { SelectRunsOptions } from '../src/types.ts'
import { tempDir, writeLines } from './_runs.ts'

function io(cwd: string): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd, color: false }, out, err }
}

/**
 * 30 days of main runs (March) on two machines and a pr run on the last day. Cases differ in where their
 * baseline is: `steady` in the newest main run, `busy` measured on a busy machine in the newest
 * main runs (a quiet one further back), `rare` only in an old main run, `other_machine` only on the
 * other machine, `new` in no earlier run; one file holds bad lines.
 */
function history(): string {
  const dir = tempDir()
  const random = createRandom(5)
  const rec = (run: SyntheticRun, name: string, busy = false) =>
    syntheticRecord(run, {
      package: '@ttapi/x',
      suite: 's',
      case: name,
      samples: syntheticSamples(random, 20, REALISTIC_NOISE),
      otherCpuCores: busy ? 1.5 : 0,
    })
  for (let d = 1; d <= 30; d++) {
    const day = `2026-03-${String(d).padStart(2, '0')}`
    for (const machine of ['epyc', 'xeon']) {
      const run: SyntheticRun = {
        id: `${day}-main-${machine}`,
        label: 'main',
        startedAt: `${day}T${machine === 'epyc' ? '10' : '11'}:00:00.000Z`,
        commit: `c${d}${machine}`,
        machine,
      }
      const cases = [rec(run, 'steady'), rec(run, 'busy', d > 20)]
      if (d === 3) cases.push(rec(run, 'rare'))
      if (machine === 'xeon') cases.push(rec(run, 'other_machine'))
      writeLines(dir, `${day}_main_${machine}.ndjson`, d === 12 ? [...cases, '{"torn'] : cases)
    }
  }
  const pr: SyntheticRun = {
    id: 'pr',
    label: 'pr-1',
    startedAt: '2026-04-01T12:00:00.000Z',
    commit: 'cpr',
    machine: 'epyc',
  }
  writeLines(
    dir,
    '2026-04-01_pr-1.ndjson',
    ['steady', 'busy', 'rare', 'other_machine', 'new'].map((c) => rec(pr, c)),
  )
  return dir
}

/** The report as the full reader gave it: every record read, then selectRuns, compareRuns, renderJson. */
async function fullReport(dir: string, options: SelectRunsOptions): Promise<unknown> {
  const h = await loadHistory(dir)
  const sel = selectRuns(h, options)
  // The config the CLI uses from this directory (outside a workspace: the one holding the report).
  const config = loadReportConfig({}, io(dir).io)
  const c = compareRuns(sel.baseline, sel.current, { config, baselines: sel.baselines, noComparable: sel.noComparable })
  const context = { historyDir: h.dir, files: h.files.length, records: h.recordCount, badLines: h.badLines }
  return JSON.parse(renderJson(c, { ...context, generatedAt: 'x' }))
}

describe('loadComparedRuns (issue 18)', () => {
  it('gives every case the baseline the full history gives it, reading only the runs chosen', async () => {
    const dir = history()
    const index = await loadRunIndex(dir)
    for (const options of [
      {},
      { current: '2026-03-20-main-epyc' },
      { baseline: '2026-03-05-main-xeon' },
      { baselineLabel: 'pr-1' },
    ]) {
      const full = await loadHistory(dir)
      const want = selectRuns(full, options)
      const { history: h, selection: got } = await loadComparedRuns(index, options)
      const name = JSON.stringify(options)
      expect(got.current.id, name).toBe(want.current.id)
      expect(got.baseline?.id ?? null, name).toBe(want.baseline?.id ?? null)
      expect(got.noComparable, name).toBe(want.noComparable)
      const pick = (s: typeof want) =>
        [...s.baselines].map(([k, b]) => [k, b.run.id, b.file, b.line, b.record.samples_ms])
      expect(pick(got), name).toEqual(pick(want))
      expect(got.current.records, name).toEqual(want.current.records)
      expect(h.badLines, name).toEqual(full.badLines)
      expect(h.recordCount, name).toBe(full.recordCount)
      // Only the current run and the runs giving baselines were read.
      const read = h.runs.filter((r) => r.records.length > 0).map((r) => r.id)
      expect(read.sort(), name).toEqual(
        [...new Set([want.current.id, ...[...want.baselines.values()].map((b) => b.run.id)])].sort(),
      )
    }
    // By default: steady from the newest epyc main run, busy from the newest quiet one (day 20), rare from day 3.
    const { selection } = await loadComparedRuns(index, {})
    expect(Object.fromEntries([...selection.baselines].map(([k, b]) => [k.split('/').pop(), b.run.id]))).toEqual({
      steady: '2026-03-30-main-epyc',
      busy: '2026-03-20-main-epyc',
      rare: '2026-03-03-main-epyc',
    })
  })

  it('report --format json says what the full reader says, and never opens the runs it does not compare', async () => {
    const dir = history()
    // A whole-second mtime, so the test can put it back exactly after editing the file.
    const file = join(dir, '2026-03-07_main_xeon.ndjson')
    utimesSync(file, 1_700_000_000, 1_700_000_000)
    const want = await fullReport(dir, {})
    const t = io(dir)
    expect(await main(['--history', dir, '--format', 'json'], t.io)).toBe(0)
    const got = JSON.parse(t.out.join('')) as { generatedAt: string }
    expect({ ...got, generatedAt: 'x' }).toEqual(want)

    // An old run's file no comparison uses, made unreadable behind the index's back (same size, same
    // mtime): the report does not read it, so it does not see it.
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('"unit":"ops"', '"unit":"opz"'))
    utimesSync(file, 1_700_000_000, 1_700_000_000)
    const again = io(dir)
    expect(await main(['--history', dir, '--format', 'json'], again.io)).toBe(0)
    expect({ ...(JSON.parse(again.out.join('')) as object), generatedAt: 'x' }).toEqual(want)
  })
})
