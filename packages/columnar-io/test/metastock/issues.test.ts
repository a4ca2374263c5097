// Each kind of damage, made from writeMetaStock's output in a temp dir: it becomes an issue naming the file (and
// offset), the rest imports, and no garbage row enters the table.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  MetaStockError,
  importMetaStock,
  readMetaStock,
  sliceBySymbol,
  syntheticMarket,
  writeMetaStock,
  type MetaStockResult,
} from '../../src/index.ts'
import { numberToMbf } from '../../src/metastock/_mbf.ts'

const root = mkdtempSync(join(tmpdir(), 'ttapi-ms-issues-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const DAYS = 40
const market = syntheticMarket({ symbols: 4, days: DAYS })
let n = 0
/** A fresh directory holding the 4-symbol market as 6-field files (24-byte records). */
function written(): string {
  const dir = join(root, `d${n++}`)
  writeMetaStock(dir, market)
  return dir
}
const codes = (r: MetaStockResult): string[] => r.issues.map((i) => i.code)
/** The rows of `symbol` in `r` equal the market's, except records `skip` (1-based), as float32. */
function expectRows(r: MetaStockResult, symbol: string, skip: number[] = []): void {
  const got = sliceBySymbol(r.table, symbol)
  const want = sliceBySymbol(market, symbol)
  const keep = Array.from({ length: DAYS }, (_, i) => i).filter((i) => !skip.includes(i + 1))
  expect(Array.from(got.date)).toEqual(keep.map((i) => want.date[i]))
  expect(Array.from(got.close)).toEqual(keep.map((i) => Math.fround(want.close[i]!)))
}
const setWord = (path: string, offset: number, word: number): void => {
  const b = readFileSync(path)
  b.writeUInt32LE(word >>> 0, offset)
  writeFileSync(path, b)
}

describe('MetaStock damage becomes issues', () => {
  it('a file an index names but that is missing', () => {
    const dir = written()
    unlinkSync(join(dir, 'F2.DAT'))
    const r = readMetaStock(dir)
    expect(r.issues).toEqual([
      {
        file: join(dir, 'F2.DAT'),
        code: 'missing-file',
        message: `metastock: MASTER names F2.DAT ('S0002') but it is not in ${dir}`,
      },
    ])
    expect(r.table.length).toBe(3 * DAYS)
    for (const s of ['S0001', 'S0003', 'S0004']) expectRows(r, s)
  })

  it('a data file no index names (any case of the name)', () => {
    const dir = written()
    copyFileSync(join(dir, 'F1.DAT'), join(dir, 'f9.dat'))
    const r = readMetaStock(dir)
    expect(codes(r)).toEqual(['unindexed-file'])
    expect(r.issues[0]!.file).toBe(join(dir, 'f9.dat'))
    expect(r.table.length).toBe(4 * DAYS)
  })

  it('a corrupt MASTER record (bad field count, unreadable symbol), a truncated MASTER', () => {
    const dir = written()
    const master = readFileSync(join(dir, 'MASTER'))
    master[2 * 53 + 4] = 3 // record 2: 3 fields
    master[2 * 53 + 3] = 12
    master.fill(0x01, 3 * 53 + 36, 3 * 53 + 50) // record 3: symbol of control bytes
    writeFileSync(join(dir, 'MASTER'), master)
    const r = readMetaStock(dir)
    const path = join(dir, 'MASTER')
    expect(r.issues.slice(0, 2)).toEqual([
      {
        file: path,
        offset: 106,
        code: 'corrupt-index',
        message: 'metastock: MASTER record at byte 106 (F2) has 3 fields and record length 12; skipped',
      },
      {
        file: path,
        offset: 159,
        code: 'corrupt-index',
        message: 'metastock: MASTER record at byte 159 (F3) has no readable symbol; skipped',
      },
    ])
    // Their data files are then not indexed by anything trustworthy.
    expect(codes(r).slice(2)).toEqual(['unindexed-file', 'unindexed-file'])
    expect(r.table.symbols).toEqual(['S0001', 'S0004'])
    expectRows(r, 'S0004')

    truncateSync(path, 53 * 3 + 10)
    const t = readMetaStock(dir)
    expect(t.issues[0]).toMatchObject({ file: path, offset: 159, code: 'corrupt-index' })
    expect(t.issues[0]!.message).toBe(
      'metastock: MASTER is 169 bytes, not a whole number of 53-byte records; 10 trailing bytes ignored',
    )
    expect(t.issues[1]!.message).toBe('metastock: MASTER header says 4 records but the file holds 2')
  })

  it('a broken MASTER falls back to EMASTER; a broken EMASTER is reported and MASTER used', () => {
    let dir = written()
    writeFileSync(join(dir, 'MASTER'), Buffer.from('garbage'))
    let r = readMetaStock(dir)
    expect(codes(r)).toEqual(['corrupt-index'])
    expect(r.files.map((f) => f.index)).toEqual(['EMASTER', 'EMASTER', 'EMASTER', 'EMASTER'])
    expect(r.table.length).toBe(4 * DAYS)

    dir = written()
    truncateSync(join(dir, 'EMASTER'), 192 * 3 + 100) // not a multiple of 192, like the 13,707-byte one seen
    r = readMetaStock(dir)
    expect(codes(r)).toEqual(['corrupt-index', 'corrupt-index'])
    expect(r.files.map((f) => f.index)).toEqual(['MASTER', 'MASTER', 'MASTER', 'MASTER'])
    expect(r.table.length).toBe(4 * DAYS)
  })

  it('an XMASTER without its magic, or with a bad field mask', () => {
    const dir = join(root, `d${n++}`)
    writeMetaStock(dir, syntheticMarket({ symbols: 257, days: 3 }))
    const x = readFileSync(join(dir, 'XMASTER'))
    x[0] = 0
    x[150 + 70] = 0x03 // F256: 2 fields
    writeFileSync(join(dir, 'XMASTER'), x)
    const r = readMetaStock(dir)
    expect(codes(r)).toEqual(['corrupt-index', 'corrupt-index', 'unindexed-file'])
    expect(r.issues[1]).toMatchObject({
      offset: 150,
      message: 'metastock: XMASTER record at byte 150 (F256) has field mask 0x3; skipped',
    })
    expect(r.files.length).toBe(256)
    expect(r.files[255]!.fileNumber).toBe(257)
  })

  it('a data file truncated inside a record: the partial record is dropped, the header count disagrees', () => {
    const dir = written()
    const path = join(dir, 'F3.DAT')
    truncateSync(path, 24 * 31 + 10) // header + 30 records + 10 bytes
    const r = readMetaStock(dir)
    expect(r.issues).toEqual([
      {
        file: path,
        offset: 24 * 31,
        code: 'truncated-file',
        message: 'metastock: F3.DAT ends 10 bytes into record 31 (24-byte records); the partial record is dropped',
      },
      {
        file: path,
        offset: 2,
        code: 'count-mismatch',
        message: 'metastock: F3.DAT holds 30 records but its header says 40; importing the 30 it holds',
      },
    ])
    expectRows(
      r,
      'S0003',
      Array.from({ length: 10 }, (_, i) => 31 + i),
    )
    expectRows(r, 'S0004')
    expect(r.files[2]!.rows).toBe(30)
  })

  it('a data file shorter than its header record', () => {
    const dir = written()
    truncateSync(join(dir, 'F1.DAT'), 7)
    const r = readMetaStock(dir)
    expect(codes(r)).toEqual(['truncated-file'])
    expect(r.issues[0]!.message).toBe('metastock: F1.DAT is 7 bytes, shorter than one 24-byte record')
    expect(r.table.length).toBe(3 * DAYS)
  })

  it('a header count that disagrees with the file', () => {
    const dir = written()
    const path = join(dir, 'F4.DAT')
    const b = readFileSync(path)
    b.writeUInt16LE(99, 2)
    writeFileSync(path, b)
    const r = readMetaStock(dir)
    expect(r.issues).toEqual([
      {
        file: path,
        offset: 2,
        code: 'count-mismatch',
        message: 'metastock: F4.DAT holds 40 records but its header says 98; importing the 40 it holds',
      },
    ])
    expectRows(r, 'S0004')
  })

  it('garbage dates and prices: those records are skipped, one issue per kind per file', () => {
    const dir = written()
    const path = join(dir, 'F2.DAT')
    setWord(path, 24 * 5, numberToMbf(1_100_230)) // record 5: 2010-02-30
    setWord(path, 24 * 9, 0) // record 9: date 0
    setWord(path, 24 * 12 + 16, numberToMbf(-3)) // record 12: close −3
    setWord(path, 24 * 13 + 8, 0xfe12_3456) // record 13: high ≈ 1.5e38
    setWord(path, 24 * 14 + 20, numberToMbf(-10)) // record 14: volume −10
    const r = readMetaStock(dir)
    expect(r.issues).toEqual([
      {
        file: path,
        offset: 24 * 5,
        code: 'bad-date',
        message: 'metastock: F2.DAT has 2 record(s) with an invalid date, first record 5 (date 1100230); skipped',
      },
      {
        file: path,
        offset: 24 * 12,
        code: 'bad-value',
        message:
          'metastock: F2.DAT has 3 record(s) with a negative or implausible price or volume, first record 12; skipped',
      },
    ])
    expectRows(r, 'S0002', [5, 9, 12, 13, 14])
    expect(r.files[1]!.rows).toBe(DAYS - 5)
    expect(r.table.length).toBe(4 * DAYS - 5)
  })

  it('all of it at once in a tree, imported by workers: the good rows are exactly the market less the skipped', async () => {
    const tree = join(root, `tree${n++}`)
    const a = join(tree, 'a')
    const b = join(tree, 'b', 'nested')
    writeMetaStock(a, market)
    writeMetaStock(b, syntheticMarket({ symbols: ['ZED'], days: DAYS }))
    unlinkSync(join(a, 'F1.DAT'))
    truncateSync(join(a, 'F3.DAT'), 24 * 21)
    setWord(join(a, 'F2.DAT'), 24 * 7, numberToMbf(1_101_332))
    const r = await importMetaStock(tree, { workers: 2 })
    expect(codes(r).sort()).toEqual(['bad-date', 'count-mismatch', 'missing-file'])
    expect(r.table.close.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(r.table.symbols).toEqual(['S0002', 'S0003', 'S0004', 'ZED'])
    expectRows(r, 'S0002', [7])
    expectRows(
      r,
      'S0003',
      Array.from({ length: 20 }, (_, i) => 21 + i),
    )
    expectRows(r, 'S0004')
    expect(r.table.length).toBe(DAYS - 1 + 20 + DAYS + DAYS)
    expect(r.files.map((f) => [f.symbol, f.start, f.rows])).toEqual([
      ['S0002', 0, DAYS - 1],
      ['S0003', DAYS - 1, 20],
      ['S0004', DAYS - 1 + 20, DAYS],
      ['ZED', 2 * DAYS - 1 + 20, DAYS],
    ])
    const flat = await importMetaStock(tree, { workers: 0, recursive: false })
    expect(flat.table.length).toBe(0)
  })

  it('throws only for an input that is not a directory', async () => {
    await expect(importMetaStock(join(root, 'nope'))).rejects.toThrow(MetaStockError)
    await expect(importMetaStock(join(root, 'nope'))).rejects.toThrow(
      `metastock: no directory at ${join(root, 'nope')}`,
    )
    const dir = written()
    expect(() => readMetaStock(join(dir, 'MASTER'))).toThrow(`metastock: ${join(dir, 'MASTER')} is not a directory`)
    await expect(importMetaStock(dir, { workers: -1 })).rejects.toThrow('`workers`')
  })
})
