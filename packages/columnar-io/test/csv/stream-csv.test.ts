import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { concatTables, CsvFormatError, readCsv, streamCsv, syntheticMarket, writeCsv } from '../../src/index.ts'
import type { CsvIssue } from '../../src/index.ts'
import { expectSameTable } from './_expect.ts'

describe('streamCsv', () => {
  it('yields batches of complete records that add up to the whole file, with stable symbol codes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-stream-'))
    try {
      const t = syntheticMarket({ symbols: 25, days: 400, seed: 2 })
      const path = join(dir, 'm.csv')
      writeCsv(t, path, { crlf: true })
      const whole = readCsv(path)
      const batches = []
      for await (const b of streamCsv(path, { batchBytes: 65_536 })) batches.push(b)
      expect(batches.length).toBeGreaterThan(5)
      const last = batches[batches.length - 1]!.table.symbols
      const merged = concatTables(batches.map((b) => ({ ...b.table, symbols: last })))
      expectSameTable(merged, whole.table)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  it('reports bad rows with their line numbers across batches, and rejects non-CSV files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-stream-'))
    try {
      const lines = ['Date,Close']
      for (let i = 0; i < 20_000; i++) lines.push(i % 5000 === 7 ? '2020-01-02,oops' : `2020-01-02,${i}`)
      const path = join(dir, 'X.csv')
      writeFileSync(path, lines.join('\n'))
      const issues: CsvIssue[] = []
      let rows = 0
      for await (const b of streamCsv(path, { batchBytes: 65_536 })) {
        rows += b.table.length
        issues.push(...b.issues)
      }
      expect(rows).toBe(20_000 - 4)
      expect(issues.map((i) => i.line)).toEqual([9, 5009, 10009, 15009])
      const bin = join(dir, 'bin.csv')
      writeFileSync(bin, Buffer.from([0, 1, 2, 3, 255]))
      const it = streamCsv(bin)
      await expect(it.next()).rejects.toThrow(CsvFormatError)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
