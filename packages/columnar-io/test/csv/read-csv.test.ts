import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CsvFormatError, readCsv, syntheticMarket, writeCsv } from '../../src/index.ts'
import { expectSameTable } from './_expect.ts'
import { CORPUS, HAS_CORPUS } from './_corpus.ts'

const enc = new TextEncoder()
const csv = (text: string): Uint8Array => enc.encode(text)
/** Days since 1970-01-01, by hand: 2020-01-02 is 18263 (2020-01-01 = 50 * 365 + 12 leap days = 18262). */
const D20200102 = 18263

const KAGGLE = 'csv/cnuge-kaggle-code/stock_data/individual_stocks_5yr'
/** Row counts from PROVENANCE.md (CNuge/kaggle-code and twopirllc/pandas-ta sections). */
const CORPUS_ROWS: [string, number, string][] = [
  [`${KAGGLE}/AAPL_data.csv`, 1259, 'AAPL'],
  [`${KAGGLE}/BRK.B_data.csv`, 1259, 'BRK.B'],
  [`${KAGGLE}/FTV_data.csv`, 404, 'FTV'],
  [`${KAGGLE}/GE_data.csv`, 1259, 'GE'],
  [`${KAGGLE}/JPM_data.csv`, 1259, 'JPM'],
  [`${KAGGLE}/KO_data.csv`, 1259, 'KO'],
  [`${KAGGLE}/MSFT_data.csv`, 1259, 'MSFT'],
  [`${KAGGLE}/XOM_data.csv`, 1259, 'XOM'],
  // PROVENANCE lists 5,241 rows (index 0..5240; its prose says 5,240): the file's last index is 5240.
  ['csv/pandas-ta/data/SPY_D.csv', 5241, 'SPY'],
]

describe.skipIf(!HAS_CORPUS)('readCsv on the corpus', () => {
  let db: Awaited<ReturnType<DuckDBInstance['connect']>>
  beforeAll(async () => {
    db = await (await DuckDBInstance.create()).connect()
  })
  afterAll(() => db.closeSync())

  for (const [rel, rows, symbol] of CORPUS_ROWS) {
    it(`${basename(rel)}: ${rows} rows, every value equal to DuckDB read_csv`, async () => {
      const path = join(CORPUS, rel)
      const { table, issues } = readCsv(path)
      expect(issues).toEqual([])
      expect(table.length).toBe(rows)
      expect(table.symbols).toEqual([symbol])
      // Oracle: DuckDB's own CSV reader and float parser; NULL (empty field) is NaN on our side.
      const reader = await db.runAndReadAll(
        `select (date::date - date '1970-01-01')::int as d, open::double, high::double, low::double, close::double, volume::double from read_csv('${path}')`,
      )
      const oracle = reader.getRows()
      expect(oracle.length).toBe(rows)
      const cols = [table.date, table.open, table.high, table.low, table.close, table.volume]
      for (let i = 0; i < rows; i++) {
        const row = oracle[i]!
        for (let c = 0; c < 6; c++) {
          const want = row[c] === null ? NaN : Number(row[c])
          if (!Object.is(cols[c]![i], want)) expect(`${rel} row ${i} col ${c}: ${cols[c]![i]}`).toBe(`${want}`)
        }
      }
    })
  }

  it('parses every number exactly as Number() does (hand-written float parser vs the built-in)', () => {
    for (const [rel] of CORPUS_ROWS) {
      const path = join(CORPUS, rel)
      const { table } = readCsv(path)
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1)
      const header = readFileSync(path, 'utf8').split('\n')[0]!.split(',')
      const idx = ['open', 'high', 'low', 'close', 'volume'].map((n) => header.indexOf(n))
      const cols = [table.open, table.high, table.low, table.close, table.volume]
      lines.forEach((line, i) => {
        const f = line.split(',')
        idx.forEach((k, c) => {
          const text = f[k]!
          const want = text === '' ? NaN : Number(text)
          if (!Object.is(cols[c]![i], want)) expect(`${rel}:${i + 2} ${text} -> ${cols[c]![i]}`).toBe(String(want))
        })
      })
    }
  })

  it('FTV first row: empty open/high/low read as NaN, close 49.54, volume 0 (PROVENANCE note)', () => {
    const { table } = readCsv(join(CORPUS, KAGGLE, 'FTV_data.csv'))
    expect(table.open[0]).toBeNaN()
    expect(table.high[0]).toBeNaN()
    expect(table.low[0]).toBeNaN()
    expect(table.close[0]).toBe(49.54)
    expect(table.volume[0]).toBe(0)
  })

  it('SPY_D.csv: pandas index column ignored, float volumes, no trailing newline', () => {
    const { table } = readCsv(join(CORPUS, 'csv/pandas-ta/data/SPY_D.csv'))
    // First and last rows as written in the file: 1999-11-01 (10896 days) and 2020-08-28 (18502 days).
    expect(table.date[0]).toBe(10896)
    expect(table.open[0]).toBe(136.5)
    expect(table.volume[0]).toBe(4006500)
    expect(table.date[5240]).toBe(18502)
    expect(table.close[5240]).toBe(350.58)
    expect(table.volume[5240]).toBe(48588940)
  })
})

describe('readCsv edge cases', () => {
  it('detects semicolon and tab delimiters', () => {
    const semi = readCsv(csv('Date;Open;High;Low;Close;Volume\n2020-01-02;1.5;2;1;1.75;100\n'), { symbol: 'X' })
    const tab = readCsv(csv('Date\tOpen\tHigh\tLow\tClose\tVolume\n2020-01-02\t1.5\t2\t1\t1.75\t100\n'), {
      symbol: 'X',
    })
    for (const { table, issues } of [semi, tab]) {
      expect(issues).toEqual([])
      expect(table.length).toBe(1)
      expect([table.date[0], table.open[0], table.high[0], table.low[0], table.close[0], table.volume[0]]).toEqual([
        D20200102,
        1.5,
        2,
        1,
        1.75,
        100,
      ])
      expect(table.symbols).toEqual(['X'])
    }
  })

  it('detects US, day-first and compact dates', () => {
    const us = readCsv(csv('Date,Close\n01/02/2020,1\n12/31/2020,2\n'), { symbol: 'X' })
    expect(Array.from(us.table.date)).toEqual([D20200102, D20200102 + 364])
    const dmy = readCsv(csv('Date,Close\n02/01/2020,1\n31/12/2020,2\n'), { symbol: 'X' })
    expect(Array.from(dmy.table.date)).toEqual([D20200102, D20200102 + 364])
    const compact = readCsv(csv('Date,Close\n20200102,1\n20201231,2\n'), { symbol: 'X' })
    expect(Array.from(compact.table.date)).toEqual([D20200102, D20200102 + 364])
    const forced = readCsv(csv('Date,Close\n01/02/2020,1\n'), { symbol: 'X', dateFormat: 'dmy' })
    expect(forced.table.date[0]).toBe(D20200102 + 30) // 1 February 2020
  })

  it('reads quoted fields, CRLF line ends and a missing trailing newline', () => {
    const text =
      'Ticker,"Date","Open",High,Low,Close,Volume\r\n"BRK,B","2020-01-02","1.5",2,1,"1.75",100\r\nX,2020-01-03,3,4,2,3.5,"7"'
    const { table, issues } = readCsv(csv(text))
    expect(issues).toEqual([])
    expect(table.length).toBe(2)
    expect(table.symbols).toEqual(['BRK,B', 'X'])
    expect(Array.from(table.symbol)).toEqual([0, 1])
    expect(Array.from(table.close)).toEqual([1.75, 3.5])
    expect(Array.from(table.volume)).toEqual([100, 7])
  })

  it('reads empty fields as NaN and lacks no row for them', () => {
    const { table, issues } = readCsv(csv('date,open,high,low,close,volume\n2020-01-02,,,,5,\n'), { symbol: 'X' })
    expect(issues).toEqual([])
    expect(table.open[0]).toBeNaN()
    expect(table.volume[0]).toBeNaN()
    expect(table.close[0]).toBe(5)
  })

  it('ignores an index column and unknown columns; matches header names in any case', () => {
    const text = ',DATE,OPEN,HIGH,LOW,CLOSE,ADJ CLOSE,VOLUME,Dividends\n0,2020-01-02,1,2,0.5,1.5,1.4,10,0\n'
    const plain = readCsv(csv(text), { symbol: 'X' })
    expect(plain.table.close[0]).toBe(1.5)
    const adjusted = readCsv(csv(text), { symbol: 'X', adjustedClose: true })
    expect(adjusted.table.close[0]).toBe(1.4)
  })

  it('takes the symbol from the file name when there is no symbol column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-csv-'))
    try {
      const path = join(dir, 'SPY_D.csv')
      writeFileSync(path, 'Date,Close\n2020-01-02,1\n')
      expect(readCsv(path).table.symbols).toEqual(['SPY'])
      expect(readCsv(path, { symbol: 'QQQ' }).table.symbols).toEqual(['QQQ'])
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  it('fills columns the file lacks with NaN', () => {
    const { table } = readCsv(csv('Date,Close\n2020-01-02,1\n'), { symbol: 'X' })
    expect(table.open[0]).toBeNaN()
    expect(table.volume[0]).toBeNaN()
    expect(table.openInterest).toBeNull()
    const oi = readCsv(csv('Date,Close,Open Interest\n2020-01-02,1,42\n'), { symbol: 'X' })
    expect(oi.table.openInterest![0]).toBe(42)
  })

  it('skips bad rows and reports each with file and line', () => {
    const text = [
      'Date,Open,High,Low,Close,Volume',
      '2020-01-02,1,2,0.5,1.5,10',
      '2020-01-03,abc,2,0.5,1.5,10',
      '2020-02-30,1,2,0.5,1.5,10',
      '2020-01-06,1,2,0.5',
      ',1,2,0.5,1.5,10',
      '2020-01-07,1,2,0.5,1.5,10,99',
      '2020-01-08,"1,5",2,0.5,1.5,10',
      '2020-01-09,1,2,0.5,1.5e1,1e3',
    ].join('\n')
    const { table, issues } = readCsv(csv(text), { symbol: 'X', name: 'bad.csv' })
    expect(table.length).toBe(2)
    expect(Array.from(table.close)).toEqual([1.5, 15])
    expect(table.volume[1]).toBe(1000)
    expect(issues).toEqual([
      { file: 'bad.csv', line: 3, message: 'open is not a number' },
      { file: 'bad.csv', line: 4, message: 'date is not a valid iso date' },
      { file: 'bad.csv', line: 5, message: 'expected 6 fields, found 4' },
      { file: 'bad.csv', line: 6, message: 'empty date' },
      { file: 'bad.csv', line: 7, message: 'expected 6 fields, found 7' },
      { file: 'bad.csv', line: 8, message: 'open is not a number' },
    ])
  })

  it('rejects input that is not CSV with one error naming the file', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    expect(() => readCsv(png, { name: 'chart.png' })).toThrow(CsvFormatError)
    expect(() => readCsv(png, { name: 'chart.png' })).toThrow(/csv: chart\.png is not a text CSV file/)
    expect(() => readCsv(csv('hello world\nthis is prose\n'), { name: 'notes.txt' })).toThrow(
      /csv: notes\.txt has no recognisable header/,
    )
    expect(() => readCsv(csv('a,b,c\n1,2,3\n'), { name: 'abc.csv' })).toThrow(
      /csv: abc\.csv has no recognisable OHLCV header: expected Date and Close columns, found \["a","b","c"\]/,
    )
    expect(() => readCsv(csv(''), { name: 'empty.csv' })).toThrow(/csv: empty\.csv is empty/)
    expect(() => readCsv('/nonexistent/x.csv')).toThrow(/csv: cannot read \/nonexistent\/x\.csv/)
    try {
      readCsv(png, { name: 'chart.png' })
    } catch (e) {
      expect((e as CsvFormatError).code).toBe('COLUMNAR_CSV_FORMAT')
      expect((e as CsvFormatError).file).toBe('chart.png')
    }
  })
})

describe('writeCsv', () => {
  it('round-trips a synthetic market exactly through readCsv (LF and CRLF, comma and semicolon)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-csv-'))
    try {
      const t = syntheticMarket({ symbols: 7, days: 120, seed: 3 })
      for (const opts of [{}, { crlf: true, delimiter: ';' }]) {
        const path = join(dir, 'market.csv')
        writeCsv(t, path, opts)
        const { table, issues } = readCsv(path)
        expect(issues).toEqual([])
        expectSameTable(table, t)
      }
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
