// runPipeline and PipelineSession in-process: statistics land on the right symbol, a session's kept buffers and lines
// are reused without changing any result, and the exit code follows the failure share.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxDrawdown } from '@ttapi/analysis'
import { sp500Symbols } from '@ttapi/collector'
import { readMetaStock } from '@ttapi/columnar-io'
import { exitCodeFor } from '../src/_finish-run.ts'
import { PipelineSession } from '../src/pipeline-session.ts'
import { runPipeline } from '../src/run-pipeline.ts'
import { Terminal } from '../src/terminal.ts'
import { summaryJson } from '../src/write-summary.ts'
import type { RunOptions, StageReport } from '../src/types.ts'

const silent = new Terminal({ stdout: () => {}, stderr: () => {}, stderrIsTTY: false, color: false, ci: true })
let dir: string
let base: RunOptions

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-run-'))
  writeFileSync(join(dir, 'u.txt'), sp500Symbols.slice(0, 3).join('\n'))
  base = { universe: 'u.txt', dataset: 'tiny', serverLatencyMs: 1, serverJitterMs: 0, cwd: dir, workers: 1 }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('runPipeline and a cached PipelineSession', () => {
  it('puts the statistics of each symbol on that symbol; a session reuses its columns; results are the same', async () => {
    const cold = await runPipeline({ ...base, mode: 'cold' }, silent)
    expect(cold.summary.exitCode).toBe(0)
    expect(cold.summary.stages[2]!.note).toMatch(/ rows\/s, 1 thread\)$/)
    await using session = await PipelineSession.open({ ...base, mode: 'cached' }, silent)
    const first = await session.refresh()
    const second = await session.refresh()
    // The second refresh takes the columns the first loaded from memory (the column file is not read again).
    expect(first.summary.stages[1]!.note).toMatch(/from the column cache \(disk\)$/)
    expect(second.summary.stages[1]!.note).toMatch(/from the column cache \(memory\)$/)
    expect(second.summary.stages.map((s) => s.source)).toEqual(['cache', 'cache', 'computed'])
    const stats = (r: typeof cold): unknown => r.summary.symbols.map((s) => [s.symbol, s.stats])
    expect(stats(first)).toEqual(stats(cold))
    expect(stats(second)).toEqual(stats(cold))

    // Reference: the symbol's own rows read straight from the generated MetaStock directory by columnar-io, and
    // @ttapi/analysis maxDrawdown over its closes.
    const { table } = readMetaStock(cold.summary.inputs.data)
    const symbol = sp500Symbols[1]!
    const code = table.symbols.indexOf(symbol)
    let from = 0
    while (table.symbol[from] !== code) from++
    let to = from
    while (to < table.length && table.symbol[to] === code) to++
    expect(to - from).toBe(300)
    const reference = maxDrawdown(table.close, table.date, from, to).maxDrawdown
    const row = cold.summary.symbols.find((s) => s.symbol === symbol)!
    expect(row.stats?.maxDrawdown).toBeCloseTo(reference, 12)
    expect(row.last).toBeGreaterThan(0)
  })
})

describe('PipelineSession summary lines', () => {
  it('renders every line cold, reuses them cached, and writes what rendering the returned summary gives', async () => {
    const runs = []
    for (const mode of ['cold', 'cached'] as const) {
      await using session = await PipelineSession.open({ ...base, mode }, silent)
      for (let i = 0; i < 2; i++) {
        const r = await session.refresh()
        expect(readFileSync(r.files.json, 'utf8'), mode).toBe(summaryJson(r.summary))
        runs.push([mode, r.lines.reused, r.lines.rendered, r.summary.symbols.length])
      }
    }
    const n = runs[0]![3]
    expect(n).toBeGreaterThanOrEqual(3)
    expect(runs).toEqual([
      ['cold', 0, n, n],
      ['cold', 0, n, n],
      ['cached', 0, n, n],
      ['cached', n, 0, n],
    ])
  })
})

describe('exitCodeFor', () => {
  const stage = (failureShare: number): StageReport => ({
    stage: 'collection',
    ms: 1,
    source: 'source',
    status: failureShare === 0 ? 'ok' : 'partial',
    items: 1,
    attempted: 1,
    failed: 0,
    failureShare,
    fallback: null,
    note: '',
  })
  it('is 1 only when some stage failed more than the allowed share', () => {
    expect(exitCodeFor([stage(0), stage(0)], 0)).toBe(0)
    expect(exitCodeFor([stage(0), stage(0.01)], 0)).toBe(1)
    expect(exitCodeFor([stage(0.1)], 0.1)).toBe(0)
    expect(exitCodeFor([stage(0.11)], 0.1)).toBe(1)
    expect(exitCodeFor([stage(1)], 1)).toBe(0)
  })
})
