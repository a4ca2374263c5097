import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CsvFormatError, importCsv, readCsv, syntheticMarket, writeCsv } from '../../src/index.ts'
import { CORPUS, HAS_CORPUS } from './_corpus.ts'
import { expectSameTable } from './_expect.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cio-import-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * A CSV that makes part boundaries hard: a free-text column (ignored by the reader) whose quoted values hold commas,
 * doubled quotes and line feeds, CRLF line ends, some bad rows, and no trailing newline.
 */
function trickyCsv(rows: number): string {
  const t = syntheticMarket({ symbols: 13, days: Math.ceil(rows / 13), seed: 9 })
  const out = ['Symbol,Date,Open,High,Low,Close,Volume,Note']
  for (let i = 0; i < t.length; i++) {
    const d = new Date(t.date[i]! * 86_400_000).toISOString().slice(0, 10)
    let note = i % 3 === 0 ? `"line one\nline ""two"", with, commas\r\n"` : `plain ${i}`
    if (i % 97 === 0) note = '"' + 'x\n'.repeat(50) + '"'
    const close = i % 1009 === 5 ? 'n/a?' : String(t.close[i])
    out.push(`${t.symbols[t.symbol[i]!]},${d},${t.open[i]},${t.high[i]},${t.low[i]},${close},${t.volume[i]},${note}`)
  }
  return out.join('\r\n')
}

describe('importCsv', () => {
  it('splits a large file at quote-aware line boundaries and equals the single-threaded reader', async () => {
    const path = join(dir, 'tricky.csv')
    writeFileSync(path, trickyCsv(40_000))
    const serial = readCsv(path)
    expect(serial.issues.length).toBeGreaterThan(0)
    for (const workers of [0, 2]) {
      const got = await importCsv(path, { workers, chunkBytes: 65_536 })
      expectSameTable(got.table, serial.table)
      expect(got.table.symbols).toEqual(serial.table.symbols)
      expect(got.issues).toEqual(serial.issues)
    }
  })

  it('imports a directory of files in parallel, in file order, symbols from names or columns', async () => {
    const sub = join(dir, 'many')
    mkdirSync(join(sub, 'nested'), { recursive: true })
    const t = syntheticMarket({ symbols: 30, days: 800, seed: 5 })
    const names: string[] = []
    for (let s = 0; s < 30; s++) {
      const rows = Array.from({ length: 800 }, (_, k) => s * 800 + k)
      const lines = ['Date,Open,High,Low,Close,Volume']
      for (const r of rows) {
        const d = new Date(t.date[r]! * 86_400_000).toISOString().slice(0, 10)
        lines.push(`${d},${t.open[r]},${t.high[r]},${t.low[r]},${t.close[r]},${t.volume[r]}`)
      }
      const name = `${t.symbols[s]}_daily.csv`
      names.push(name)
      writeFileSync(join(sub, s < 20 ? name : join('nested', name)), lines.join('\n') + '\n')
    }
    writeFileSync(join(sub, 'readme.md'), 'not a csv, not matched by *.csv')
    const { table, issues } = await importCsv(sub, { workers: 2 })
    expect(issues).toEqual([])
    expect(table.length).toBe(30 * 800)
    // Files are read depth first, by name (code-unit order: 'S0001_daily.csv' before the folder 'nested').
    const order = names.map((n) => n.split('_')[0]!)
    expect(table.symbols).toEqual(order)
    const s0 = table.symbols.indexOf(t.symbols[0]!)
    const first = table.symbol.indexOf(s0)
    expect(table.close[first]).toBe(t.close[0])
    expect(table.close[first + 799]).toBe(t.close[799])
  })

  it('reports a non-CSV file among many as one issue and imports the rest; a single one rejects', async () => {
    const sub = join(dir, 'mixed')
    mkdirSync(sub)
    writeFileSync(join(sub, 'A.csv'), 'Date,Close\n2020-01-02,1\n2020-01-03,2\n')
    writeFileSync(join(sub, 'B.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3]))
    const { table, issues } = await importCsv(sub)
    expect(table.length).toBe(2)
    expect(issues).toHaveLength(1)
    expect(issues[0]!.file).toBe(join(sub, 'B.csv'))
    expect(issues[0]!.line).toBe(0)
    expect(issues[0]!.message).toMatch(/B\.csv is not a text CSV file/)
    await expect(importCsv(join(sub, 'B.csv'))).rejects.toThrow(CsvFormatError)
    await expect(importCsv(join(sub, 'missing.csv'))).rejects.toThrow(/csv: cannot read .*missing\.csv/)
  })

  it('validates its options', async () => {
    await expect(importCsv(dir, { workers: -1 })).rejects.toThrow(
      'Expected `workers` to be an integer from 0 up, got `-1` (number)',
    )
    await expect(importCsv(dir, { chunkBytes: 0 })).rejects.toThrow(/Expected `chunkBytes`/)
  })

  it.skipIf(!HAS_CORPUS)('imports the corpus CSV folder: 10,313 rows, 9 symbols (PROVENANCE counts)', async () => {
    const sub = join(dir, 'corpus')
    mkdirSync(sub)
    const kaggle = join(CORPUS, 'csv/cnuge-kaggle-code/stock_data/individual_stocks_5yr')
    for (const f of ['AAPL', 'BRK.B', 'FTV', 'GE', 'JPM', 'KO', 'MSFT', 'XOM']) {
      copyFileSync(join(kaggle, `${f}_data.csv`), join(sub, `${f}_data.csv`))
    }
    copyFileSync(join(CORPUS, 'csv/pandas-ta/data/SPY_D.csv'), join(sub, 'SPY_D.csv'))
    const { table, issues } = await importCsv(sub, { workers: 2 })
    expect(issues).toEqual([])
    // 7 x 1,259 + 404 (FTV) + 5,241 (SPY)
    expect(table.length).toBe(7 * 1259 + 404 + 5241)
    expect([...table.symbols].sort()).toEqual(['AAPL', 'BRK.B', 'FTV', 'GE', 'JPM', 'KO', 'MSFT', 'SPY', 'XOM'])
  })

  it('round-trips a file written by writeCsv through the parallel path', async () => {
    const t = syntheticMarket({ symbols: 80, days: 500, seed: 1 })
    const path = join(dir, 'written.csv')
    writeCsv(t, path)
    const { table, issues } = await importCsv(path, { workers: 2, chunkBytes: 100_000 })
    expect(issues).toEqual([])
    expectSameTable(table, t)
    expect(table.symbol.buffer).toBeInstanceOf(SharedArrayBuffer)
  })
})
