import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderSummaryMarkdown, summaryJson, writeSummary } from '../src/write-summary.ts'
import type { FailureRecord, RunSummary } from '../src/types.ts'

function summary(failures: FailureRecord[]): RunSummary {
  return {
    schema: 'ttapi.pipeline/v1',
    mode: 'cached',
    startedAt: '2026-11-27T00:00:00.000Z',
    finishedAt: '2026-11-27T00:00:01.000Z',
    exitCode: 1,
    maxFailureShare: 0,
    inputs: {
      universe: 'u.txt',
      symbols: 2,
      data: '/d',
      dataset: 'tiny',
      format: 'metastock',
      source: 'x',
      cacheDir: '/c',
    },
    stages: [
      {
        stage: 'collection',
        ms: 12.5,
        source: 'source',
        status: 'partial',
        items: 1,
        attempted: 2,
        failed: 1,
        failureShare: 0.5,
        fallback: 'corrupt quotes cache: bad | file',
        note: '1/2 quotes',
      },
    ],
    totalMs: 1000,
    peakRssBytes: 123_456_789,
    failures,
    symbols: [
      { symbol: 'AAPL', last: 101.5, changePct: 1.5, stats: { rows: 300, sharpe: 0.5, maxDrawdown: 0.25, beta: null } },
      { symbol: 'MSFT', last: null, changePct: null, stats: null },
    ],
  }
}

const failure = (i: number): FailureRecord => ({
  stage: 'collection',
  subject: `S${i}`,
  code: 'connection',
  reason: 'refused',
})

describe('summaryJson', () => {
  it('parses back to the summary, one line per symbol', () => {
    const s = summary([failure(1)])
    const text = summaryJson(s)
    expect(JSON.parse(text)).toEqual(s)
    expect(text).toContain('\n  {"symbol":"MSFT","last":null,"changePct":null,"stats":null}\n ]\n}\n')
    expect(JSON.parse(summaryJson({ ...s, symbols: [] }))).toEqual({ ...s, symbols: [] })
  })
})

describe('renderSummaryMarkdown', () => {
  it('lists stages (fallback included, pipes escaped), failures and per-symbol statistics', () => {
    const md = renderSummaryMarkdown(summary([failure(1)]), 'TABLE')
    expect(md).toContain(
      '| Symbol collection | source | partial | 13 ms | 1 | 1 | 1/2 quotes; fell back to cold: corrupt quotes cache: bad \\| file |',
    )
    expect(md).toContain('## Failures (1)')
    expect(md).toContain('| Symbol collection | S1 | connection | refused |')
    // Sharpe 0.5 → 0.50; drawdown 0.25 → 25.0%; beta null → dash; a symbol without history is all dashes.
    expect(md).toContain('| AAPL | 101.50 | 1.50% | 300 | — | — | 0.50 | 25.0% | — |')
    expect(md).toContain('| MSFT | — | — | — | — | — | — | — | — |')
    expect(md).toContain('exit code 1; peak memory 0.12 GB resident.')
    expect(md).toContain('TABLE')
  })

  it('lists at most 200 failures and counts the rest', () => {
    const md = renderSummaryMarkdown(summary(Array.from({ length: 250 }, (_, i) => failure(i))), '')
    expect(md).toContain('## Failures (250)')
    expect(md).toContain('| S199 |')
    expect(md).not.toContain('| S200 |')
    expect(md).toContain('… and 50 more (see summary.json).')
  })
})

describe('writeSummary', () => {
  it('writes both files atomically (no temp file left)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-summary-'))
    try {
      const files = writeSummary(join(dir, 'out'), summary([]), '')
      expect(JSON.parse(readFileSync(files.json, 'utf8')).mode).toBe('cached')
      expect(readFileSync(files.markdown, 'utf8')).toMatch(/^# ttapi run — cached/)
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['summary.json', 'summary.md'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
