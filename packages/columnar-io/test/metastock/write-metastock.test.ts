import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  MetaStockError,
  concatTables,
  createColumnTable,
  importMetaStock,
  readMetaStock,
  syntheticMarket,
  writeMetaStock,
  type ColumnTable,
} from '../../src/index.ts'

const root = mkdtempSync(join(tmpdir(), 'ttapi-ms-write-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const fresh = (): string => join(root, `d${n++}`)

/** Dates exact; prices and volumes equal to their float32 rounding (MBF singles hold float32's 24-bit significand). */
function expectRoundTrip(
  back: ColumnTable,
  orig: ColumnTable,
  columns: readonly ('open' | 'high' | 'low' | 'close' | 'volume')[],
): void {
  expect(back.length).toBe(orig.length)
  expect(back.symbols).toEqual(orig.symbols)
  expect(back.symbol).toEqual(orig.symbol)
  expect(back.date).toEqual(orig.date)
  for (const c of columns) {
    let bad = 0
    for (let i = 0; i < orig.length; i++) if (back[c][i] !== Math.fround(orig[c][i]!)) bad++
    expect(bad, c).toBe(0)
  }
}

describe('writeMetaStock → readMetaStock', () => {
  it('round-trips 6 fields (no open interest): MASTER + EMASTER, F<n>.DAT', () => {
    const m = syntheticMarket({ symbols: 5, days: 300 })
    const dir = fresh()
    const w = writeMetaStock(dir, m)
    expect(w).toMatchObject({ securities: 5, rows: 1500 })
    expect(readdirSync(dir).sort()).toEqual(['EMASTER', 'F1.DAT', 'F2.DAT', 'F3.DAT', 'F4.DAT', 'F5.DAT', 'MASTER'])
    const r = readMetaStock(dir)
    expect(r.issues).toEqual([])
    expect(r.table.openInterest).toBeNull()
    expectRoundTrip(r.table, m, ['open', 'high', 'low', 'close', 'volume'])
    expect(r.files[0]).toMatchObject({ index: 'MASTER', fields: 6, symbol: 'S0001', periodicity: 'D', rows: 300 })
    // Bytes as FORMAT.md lays them out: MASTER header count, record file number and fields; data header count.
    const master = readFileSync(join(dir, 'MASTER'))
    expect([master.readUInt16LE(0), master[53], master[53 + 3], master[53 + 4]]).toEqual([5, 1, 24, 6])
    expect(readFileSync(join(dir, 'F1.DAT')).readUInt16LE(2)).toBe(301)
  })

  it('round-trips 7 fields with open interest, and 8 fields (time 0)', () => {
    const m = syntheticMarket({ symbols: 3, days: 50 })
    const oi = createColumnTable(m.length, { openInterest: true })
    for (let i = 0; i < m.length; i++) oi.openInterest![i] = i * 3.5
    const t: ColumnTable = { ...m, openInterest: oi.openInterest }
    for (const fields of [7, 8] as const) {
      const dir = fresh()
      writeMetaStock(dir, t, { fields })
      const r = readMetaStock(dir)
      expect(r.issues).toEqual([])
      expect(r.files[0]!.fields).toBe(fields)
      expectRoundTrip(r.table, t, ['open', 'high', 'low', 'close', 'volume'])
      expect(r.table.openInterest).toEqual(t.openInterest)
    }
  })

  it('round-trips 5 fields in both readings of the layout', () => {
    const m = syntheticMarket({ symbols: 2, days: 20 })
    const dir = fresh()
    writeMetaStock(dir, m, { fields: 5 })
    const r = readMetaStock(dir)
    expectRoundTrip(r.table, m, ['high', 'low', 'close', 'volume'])
    expect(r.table.open.every(Number.isNaN)).toBe(true)
    // metastockread's reading (date, open, high, low, close) of the same bytes: shifted columns, no volume.
    const alt = readMetaStock(dir, { fiveFields: 'date-open-high-low-close' })
    expect(alt.table.open[0]).toBe(Math.fround(m.high[0]!))
    expect(alt.table.volume.every(Number.isNaN)).toBe(true)
  })

  it('writes XMASTER and F<n>.MWD beyond 255 symbols and reads the union back, in parallel too', async () => {
    const m = syntheticMarket({ symbols: 300, days: 10 })
    const dir = fresh()
    writeMetaStock(dir, m, { names: { S0300: 'Three Hundred Inc' } })
    const files = readdirSync(dir)
    expect(files).toContain('XMASTER')
    expect(files).toContain('F255.DAT')
    expect(files).toContain('F256.MWD')
    expect(files).toContain('F300.MWD')
    const x = readFileSync(join(dir, 'XMASTER'))
    expect([x.readUInt32LE(0), x.readUInt16LE(10), x.readUInt16LE(18)]).toEqual([0x4d58_fe5d, 45, 301])
    const r = await importMetaStock(dir, { workers: 2 })
    expect(r.issues).toEqual([])
    expectRoundTrip(r.table, m, ['open', 'high', 'low', 'close', 'volume'])
    expect(r.files[299]).toMatchObject({
      index: 'XMASTER',
      fileNumber: 300,
      symbol: 'S0300',
      name: 'Three Hundred Inc',
    })
  })

  it('serves concurrent parallel imports correctly (they share one worker pool)', async () => {
    const m = syntheticMarket({ symbols: 12, days: 100 })
    const dirs = [fresh(), fresh()]
    for (const d of dirs) writeMetaStock(d, m)
    const results = await Promise.all([...dirs, ...dirs].map((d) => importMetaStock(d, { workers: 2 })))
    for (const r of results) {
      expect(r.issues).toEqual([])
      expectRoundTrip(r.table, m, ['close', 'volume'])
    }
  })

  it('writes symbols in table order with each one date-ordered, and sorts a table whose symbols are split', () => {
    const a = syntheticMarket({ symbols: ['AAA', 'BBB'], days: 5 })
    const rows = (from: number, to: number): ColumnTable => ({
      ...a,
      length: to - from,
      symbol: a.symbol.subarray(from, to),
      date: a.date.subarray(from, to),
      open: a.open.subarray(from, to),
      high: a.high.subarray(from, to),
      low: a.low.subarray(from, to),
      close: a.close.subarray(from, to),
      volume: a.volume.subarray(from, to),
    })
    const bbbFirst = concatTables([rows(5, 10), rows(0, 5)])
    bbbFirst.date.subarray(0, 5).reverse()
    bbbFirst.close.subarray(0, 5).reverse()
    let dir = fresh()
    writeMetaStock(dir, bbbFirst)
    let r = readMetaStock(dir)
    expect(r.table.symbols).toEqual(['BBB', 'AAA'])
    expect(r.table.date.subarray(0, 5)).toEqual(a.date.subarray(5, 10))
    expect(r.table.close.subarray(0, 5)).toEqual(a.close.subarray(5, 10).map(Math.fround))
    const split = concatTables([rows(0, 2), rows(5, 10), rows(2, 5)])
    dir = fresh()
    writeMetaStock(dir, split)
    r = readMetaStock(dir)
    expect(r.table.symbols).toEqual(['AAA', 'BBB'])
    expect(r.table.date).toEqual(a.date)
    expect(r.table.close).toEqual(a.close.map(Math.fround))
  })

  it('rejects what MetaStock cannot hold', () => {
    const t = syntheticMarket({ symbols: ['A-VERY-LONG-SYMBOL'], days: 2 })
    expect(() => writeMetaStock(fresh(), t)).toThrow(MetaStockError)
    expect(() => writeMetaStock(fresh(), t)).toThrow("symbol 'A-VERY-LONG-SYMBOL' cannot be stored")
    // @ts-expect-error: 9 fields is not a MetaStock layout
    expect(() => writeMetaStock(fresh(), syntheticMarket({ symbols: 1, days: 2 }), { fields: 9 })).toThrow('`fields`')
  })
})
