import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderSummaryMarkdown, summaryJson, SummaryLines, writeSummary } from '../src/write-summary.ts'
import type { FailureRecord, RunSummary, SymbolSummary } from '../src/types.ts'

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

describe('SummaryLines', () => {
  const aapl = (): SymbolSummary => ({
    symbol: 'AAPL',
    last: 101.5,
    changePct: 1.5,
    stats: { rows: 300, sharpe: 0.5, maxDrawdown: 0.25, beta: null },
  })
  const msft = (): SymbolSummary => ({ symbol: 'MSFT', last: null, changePct: null, stats: null })

  it('reuses a line only for the same symbol, quote values and statistics in the same order', () => {
    const lines = new SummaryLines()
    const first = lines.lines([aapl(), msft()], true)
    expect([lines.reused, lines.rendered]).toEqual([0, 2])
    // New objects with the same values: the same line objects come back.
    const again = lines.lines([aapl(), msft()], true)
    expect(again[0]).toBe(first[0])
    expect(again[1]).toBe(first[1])
    expect([lines.reused, lines.rendered]).toEqual([2, 0])
    const changed: [string, SymbolSummary][] = [
      ['a statistic', { ...aapl(), stats: { rows: 300, sharpe: 0.5000000000000001, maxDrawdown: 0.25, beta: null } }],
      ['null to a number', { ...aapl(), stats: { rows: 300, sharpe: 0.5, maxDrawdown: 0.25, beta: 0 } }],
      ['the order of the names', { ...aapl(), stats: { sharpe: 0.5, rows: 300, maxDrawdown: 0.25, beta: null } }],
      ['one name fewer', { ...aapl(), stats: { rows: 300, sharpe: 0.5, maxDrawdown: 0.25 } }],
      ['the last price', { ...aapl(), last: 101.51 }],
      ['the change', { ...aapl(), changePct: null }],
      ['no statistics', { ...aapl(), stats: null }],
    ]
    for (const [what, s] of changed) {
      lines.lines([aapl()], true)
      const [line] = lines.lines([s], true)
      expect(lines.rendered, what).toBe(1)
      expect(line!.json, what).toBe(`  ${JSON.stringify(s)}`)
    }
    // Compared by Object.is: 0 and -0 differ, NaN matches NaN.
    const beta = (b: number): SymbolSummary => ({ ...aapl(), stats: { rows: 300, beta: b } })
    lines.lines([beta(0)], true)
    lines.lines([beta(-0)], true)
    expect(lines.rendered).toBe(1)
    lines.lines([beta(Number.NaN)], true)
    lines.lines([beta(Number.NaN)], true)
    expect(lines.reused).toBe(1)
  })

  it('keeps copies: changing a summary object after its line was made changes neither the line nor what it matches', () => {
    const lines = new SummaryLines()
    const s = aapl()
    const [line] = lines.lines([s], true)
    const text = line!.json
    s.last = 1
    s.stats!['sharpe'] = 9
    expect(line!.json).toBe(text)
    expect(line!.renders(s)).toBe(false)
    expect(line!.renders(aapl())).toBe(true)
  })

  it('renders every line when reuse is off (a cold run), and keeps only the symbols of the last call', () => {
    const lines = new SummaryLines()
    const first = lines.lines([aapl(), msft()], true)
    const cold = lines.lines([aapl(), msft()], false)
    expect(cold[0]).not.toBe(first[0])
    expect([lines.reused, lines.rendered]).toEqual([0, 2])
    lines.lines([aapl()], true)
    lines.lines([aapl(), msft()], true)
    expect([lines.reused, lines.rendered]).toEqual([1, 1])
  })

  it('gives the same summary.json and summary.md text as rendering each line, and encodes the body again only when a line changed', () => {
    const lines = new SummaryLines()
    const s = summary([failure(1)])
    const kept = lines.lines(s.symbols, true)
    expect(summaryJson(s, kept)).toBe(summaryJson(s))
    expect(renderSummaryMarkdown(s, 'T', kept)).toBe(renderSummaryMarkdown(s, 'T'))
    const body = lines.jsonBody(kept)
    expect(body.toString()).toBe(s.symbols.map((x) => `  ${JSON.stringify(x)}`).join(',\n'))
    expect(lines.jsonBody(lines.lines(summary([]).symbols, true))).toBe(body)
    const moved = { ...s, symbols: [s.symbols[0]!, { ...s.symbols[1]!, last: 3 }] }
    const next = lines.jsonBody(lines.lines(moved.symbols, true))
    expect(next).not.toBe(body)
    expect(next.toString()).toContain('{"symbol":"MSFT","last":3,')
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

  it('writes the same bytes with kept lines, cold or cached', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-summary-'))
    try {
      const s = summary([failure(1)])
      const plain = writeSummary(join(dir, 'plain'), s, 'T')
      const lines = new SummaryLines()
      for (const reuse of [false, true, true]) {
        const kept = writeSummary(join(dir, 'kept'), s, 'T', { lines, reuse })
        expect(readFileSync(kept.json, 'utf8')).toBe(readFileSync(plain.json, 'utf8'))
        expect(readFileSync(kept.markdown, 'utf8')).toBe(readFileSync(plain.markdown, 'utf8'))
      }
      expect(lines.reused).toBe(2)
      const none = { ...s, symbols: [] }
      const empty = writeSummary(join(dir, 'kept'), none, 'T', { lines, reuse: true })
      expect(JSON.parse(readFileSync(empty.json, 'utf8'))).toEqual(none)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('leaves the old file whole and no temp file when a write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttapi-summary-'))
    try {
      const out = join(dir, 'out')
      const first = writeSummary(out, summary([]), 'T', { lines: new SummaryLines(), reuse: false })
      const before = readFileSync(first.json, 'utf8')
      // The temp file's name is taken by a directory: the write fails before anything is renamed.
      const temp = `${first.json}.${process.pid}.tmp`
      mkdirSync(temp)
      writeFileSync(join(temp, 'keep'), 'x')
      expect(() => writeSummary(out, summary([failure(2)]), 'T', { lines: new SummaryLines(), reuse: false })).toThrow(
        /EISDIR/,
      )
      expect(readFileSync(first.json, 'utf8')).toBe(before)
      rmSync(temp, { recursive: true })
      // summary.md cannot be replaced (a directory with a file in it took its name): summary.json is written, the
      // Markdown's temp file is removed.
      rmSync(first.markdown)
      mkdirSync(first.markdown)
      writeFileSync(join(first.markdown, 'keep'), 'x')
      expect(() => writeSummary(out, summary([failure(3)]), 'T')).toThrow(/summary\.md/)
      expect(readdirSync(out).sort()).toEqual(['summary.json', 'summary.md'])
      expect(JSON.parse(readFileSync(first.json, 'utf8')).failures[0].subject).toBe('S3')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
