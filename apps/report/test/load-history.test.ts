import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HistoryError } from '../src/errors.ts'
import { loadHistory } from '../src/load-history.ts'
import { syntheticRecord } from '../src/_synthetic.ts'
import { tempDir, writeLines } from './_runs.ts'

const run = { id: 'run-1', label: 'main', startedAt: '2026-11-26T10:00:00.000Z', commit: 'abcdef1234567890' }
const rec = (c: string, samples = [1, 2, 3]) =>
  syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: c, samples })

describe('loadHistory', () => {
  it('groups valid records into runs, oldest first', async () => {
    const dir = tempDir()
    writeLines(dir, '2026-11-26_main.ndjson', [rec('a'), rec('b')])
    const other = { ...run, id: 'run-0', startedAt: '2026-11-25T10:00:00.000Z' }
    writeLines(dir, '2026-11-25_main.ndjson', [
      syntheticRecord(other, { package: '@ttapi/x', suite: 's', case: 'a', samples: [1] }),
    ])
    const h = await loadHistory(dir)
    expect(h.files).toEqual(['2026-11-25_main.ndjson', '2026-11-26_main.ndjson'])
    expect(h.runs.map((r) => r.id)).toEqual(['run-0', 'run-1'])
    expect(h.runs[1]!.records.map((r) => [r.record.case, r.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    expect(h.recordCount).toBe(3)
    expect(h.badLines).toEqual([])
  })

  it('reports each bad line as file:line with a reason, excludes it and keeps the rest', async () => {
    const dir = tempDir()
    const negative = rec('neg', [1, -2, 3])
    const wrongShape = { schema: 'ttapi.bench/v1', hello: 'world' }
    const nanSample = JSON.stringify(rec('nan')).replace('"samples_ms":[1,2,3]', '"samples_ms":[1,NaN,3]')
    const infinite = JSON.stringify(rec('inf')).replace('"samples_ms":[1,2,3]', '"samples_ms":[1,1e999,3]')
    const nullSample = JSON.stringify(rec('nul')).replace('"samples_ms":[1,2,3]', '"samples_ms":[1,null,3]')
    writeLines(dir, '2026-11-26_main.ndjson', [
      rec('good'),
      '{"schema": "ttapi.bench/v1", ', // malformed JSON
      JSON.stringify(wrongShape),
      JSON.stringify(negative),
      nanSample,
      '',
      infinite,
      nullSample,
      rec('good'), // duplicate case of the same run
    ])
    const h = await loadHistory(dir)
    expect(h.recordCount).toBe(1)
    const where = h.badLines.map((b) => `${b.file}:${b.line}`)
    expect(where).toEqual([2, 3, 4, 5, 7, 8, 9].map((n) => `2026-11-26_main.ndjson:${n}`))
    const reason = (line: number): string => h.badLines.find((b) => b.line === line)!.reason
    expect(reason(2)).toMatch(/^malformed JSON/)
    expect(reason(3)).toMatch(/not a ttapi\.bench\/v1 record/)
    expect(reason(4)).toContain('/samples_ms/1: must be >= 0')
    expect(reason(5)).toMatch(/^malformed JSON/) // NaN is not JSON
    expect(reason(7)).toContain('/samples_ms/1: must be number') // 1e999 parses as Infinity
    expect(reason(8)).toContain('/samples_ms/1: must be number')
    expect(reason(9)).toMatch(
      /duplicate record of @ttapi\/x\/s\/good in run run-1 \(first at 2026-11-26_main\.ndjson:1\)/,
    )
  })

  it('accepts per-case config and fingerprints inside one run (a case with its own minSamples)', async () => {
    const dir = tempDir()
    const own = syntheticRecord(
      { ...run, fingerprint: 'fedcba9876543210' },
      { package: '@ttapi/x', suite: 's', case: 'b', samples: [1] },
    )
    own.config = { ...own.config, min_samples: 3 }
    writeLines(dir, 'a.ndjson', [rec('a'), own, rec('c')])
    const h = await loadHistory(dir)
    expect(h.badLines).toEqual([])
    expect(h.runs).toHaveLength(1)
    expect(h.runs[0]!.fingerprint).toBe('0123456789abcdef') // the most common
    expect(h.runs[0]!.fingerprints).toEqual(['0123456789abcdef', 'fedcba9876543210'])
  })

  it('makes bad lines fatal under strict', async () => {
    const dir = tempDir()
    writeLines(dir, 'a.ndjson', [rec('good'), 'not json'])
    await expect(loadHistory(dir, { strict: true })).rejects.toMatchObject({
      code: 'REPORT_BAD_LINE',
      message: expect.stringContaining('a.ndjson:2: malformed JSON'),
    })
  })

  it('rejects two runs sharing an id with different metadata, naming both lines', async () => {
    const dir = tempDir()
    writeLines(dir, '2026-11-26_main.ndjson', [rec('a')])
    const clash = syntheticRecord(
      { ...run, label: 'pr-7' },
      { package: '@ttapi/x', suite: 's', case: 'b', samples: [1] },
    )
    writeLines(dir, '2026-11-26_pr-7.ndjson', [rec('c'), clash])
    const error = await loadHistory(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HistoryError)
    expect((error as HistoryError).code).toBe('REPORT_RUN_CONFLICT')
    expect((error as Error).message).toBe(
      'report: run id "run-1" has conflicting metadata: run.label "main" vs "pr-7" at 2026-11-26_main.ndjson:1 vs 2026-11-26_pr-7.ndjson:2; two runs share one id',
    )
  })

  it('says clearly when the directory is missing, empty or holds no valid record', async () => {
    const dir = tempDir()
    await expect(loadHistory(join(dir, 'nope'))).rejects.toMatchObject({
      code: 'REPORT_NO_HISTORY',
      message: expect.stringMatching(/history directory .*nope does not exist/),
    })
    mkdirSync(join(dir, 'empty'))
    writeFileSync(join(dir, 'empty', 'README.md'), 'not a result file')
    await expect(loadHistory(join(dir, 'empty'))).rejects.toMatchObject({
      message: expect.stringMatching(/has no \*\.ndjson result files/),
    })
    writeLines(dir, 'bad.ndjson', ['{}'])
    await expect(loadHistory(dir)).rejects.toMatchObject({
      message: expect.stringMatching(/holds no valid record .*bad\.ndjson:1/),
    })
  })

  it('reads CRLF files and files without a final newline', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'w.ndjson'), `${JSON.stringify(rec('a'))}\r\n${JSON.stringify(rec('b'))}`)
    const h = await loadHistory(dir)
    expect(h.recordCount).toBe(2)
    expect(h.badLines).toEqual([])
  })
})

describe('loadHistory on unreadable files', () => {
  it('excludes a file DuckDB cannot read (not UTF-8) as a bad line naming it, and reads the rest', async () => {
    const dir = tempDir()
    writeLines(dir, 'a.ndjson', [rec('a')])
    writeFileSync(join(dir, 'b.ndjson'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]))
    writeLines(dir, 'c.ndjson', [rec('c')])
    const h = await loadHistory(dir)
    expect(h.recordCount).toBe(2)
    expect(h.badLines).toHaveLength(1)
    expect(h.badLines[0]).toMatchObject({ file: 'b.ndjson', line: 1 })
    expect(h.badLines[0]!.reason).toMatch(/^whole file excluded: DuckDB cannot read it: /)
    await expect(loadHistory(dir, { strict: true })).rejects.toMatchObject({ code: 'REPORT_BAD_LINE' })
  })
})
