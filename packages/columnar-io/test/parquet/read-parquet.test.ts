import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createColumnTable,
  ParquetReadError,
  readParquet,
  syntheticMarket,
  writeParquet,
  type ParquetCompression,
} from '../../src/index.ts'
import { CORPUS, HAS_CORPUS } from '../csv/_corpus.ts'
import { expectSameTable } from '../csv/_expect.ts'

let dir: string
let db: Awaited<ReturnType<DuckDBInstance['connect']>>
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cio-parquet-'))
  db = await (await DuckDBInstance.create()).connect()
})
afterAll(() => {
  db.closeSync()
  rmSync(dir, { recursive: true, force: true })
})

const market = syntheticMarket({ symbols: 37, days: 300, seed: 11 })

describe('writeParquet + readParquet', () => {
  for (const compression of ['none', 'snappy', 'zstd'] as ParquetCompression[]) {
    it(`round-trips exactly with ${compression} pages over several row groups, and DuckDB reads the file`, async () => {
      const path = join(dir, `m-${compression}.parquet`)
      await writeParquet(market, path, { compression, rowGroupRows: 4000 })
      const back = await readParquet(path)
      expectSameTable(back, market)
      expect(back.symbols).toEqual(market.symbols)
      // Oracle: DuckDB on the same file; sums computed here over the source table.
      let closeSum = 0
      for (const v of market.close) closeSum += v
      const [row] = (
        await db.runAndReadAll(
          `select count(*)::int, count(distinct symbol)::int, min(date - date '1970-01-01')::int, max(date - date '1970-01-01')::int, sum(close) from '${path}'`,
        )
      ).getRows()
      expect(row!.slice(0, 4)).toEqual([market.length, 37, Math.min(...market.date), Math.max(...market.date)])
      expect(row![4] as number).toBeCloseTo(closeSum, 6)
      const meta = (
        await db.runAndReadAll(
          `select distinct compression, type from parquet_metadata('${path}') where path_in_schema = 'close'`,
        )
      ).getRows()
      expect(meta).toEqual([[compression === 'none' ? 'UNCOMPRESSED' : compression.toUpperCase(), 'DOUBLE']])
    })
  }

  it('loads into a preallocated table, reusing its columns', async () => {
    const path = join(dir, 'm-none.parquet')
    await writeParquet(market, path, { compression: 'none' })
    const target = createColumnTable(market.length + 10, { shared: true })
    const got = await readParquet(path, { into: target })
    expect(got.close.buffer).toBe(target.close.buffer)
    expect(got.length).toBe(market.length)
    expectSameTable(got, market)
    const small = createColumnTable(5)
    const fresh = await readParquet(path, { into: small })
    expect(fresh.close.buffer).not.toBe(small.close.buffer)
    expectSameTable(fresh, market)
  })

  it('bit-packs unsorted symbol codes (literal runs) that DuckDB and the fast path both decode', async () => {
    const n = 10_007
    const t = createColumnTable(n, { symbols: Array.from({ length: 300 }, (_, i) => `SYM${i}`) })
    let seed = 7
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      // Mix short literal stretches with runs of 8 and more.
      t.symbol[i] = i % 50 < 20 ? seed % 300 : Math.floor(i / 50) % 300
      t.date[i] = i
      t.close[i] = i / 4
    }
    const path = join(dir, 'unsorted.parquet')
    await writeParquet(t, path, { compression: 'none', rowGroupRows: 3000 })
    const back = await readParquet(path)
    expectSameTable(back, t)
    const rows = (await db.runAndReadAll(`select symbol from '${path}'`)).getRows()
    expect(rows.map((r) => r[0])).toEqual(Array.from(t.symbol, (c) => `SYM${c}`))
  })

  it('keeps open interest', async () => {
    const t = createColumnTable(3, { openInterest: true, symbols: ['ES'] })
    t.date.set([20000, 20001, 20002])
    t.close.set([1, 2, 3])
    t.openInterest!.set([10, 11, 12])
    const path = join(dir, 'oi.parquet')
    await writeParquet(t, path)
    const back = await readParquet(path)
    expect(Array.from(back.openInterest!)).toEqual([10, 11, 12])
  })

  it('writes an empty table', async () => {
    const path = join(dir, 'empty.parquet')
    await writeParquet(createColumnTable(0), path)
    expect((await readParquet(path)).length).toBe(0)
    const [[n]] = (await db.runAndReadAll(`select count(*)::int from '${path}'`)).getRows() as [[number]]
    expect(n).toBe(0)
  })

  it('loads OHLCV files written by other tools through hyparquet (DuckDB, with another layout)', async () => {
    const src = join(dir, 'm-none.parquet')
    await writeParquet(market, src, { compression: 'none' })
    const out = join(dir, 'duck.parquet')
    await db.run(
      `copy (select symbol as Ticker, date as "Date", open as "Open", high as "High", low as "Low", close as "Close", volume::bigint as "Volume" from '${src}') to '${out}' (format parquet, compression zstd)`,
    )
    const back = await readParquet(out)
    expectSameTable(back, market)
  })

  for (const compression of ['none', 'zstd'] as ParquetCompression[]) {
    it(`onBytes (${compression}): the writer and the reader report the same ranges, covering the file after its magic`, async () => {
      const path = join(dir, `ranges-${compression}.parquet`)
      const written: [number, string][] = []
      await writeParquet(market, path, {
        compression,
        rowGroupRows: 4000,
        onBytes: (at, bytes) => void written.push([at, Buffer.from(bytes).toString('hex')]),
      })
      const read: [number, string][] = []
      await readParquet(path, { onBytes: (at, bytes) => void read.push([at, Buffer.from(bytes).toString('hex')]) })
      const byOffset = (a: [number, string], b: [number, string]): number => a[0] - b[0]
      expect(read.sort(byOffset)).toEqual(written.sort(byOffset))
      // Independent of both: the file's own bytes, every one after the leading PAR1 reported once, in order.
      const file = readFileSync(path)
      let at = 4
      for (const [offset, hex] of read) {
        expect(offset).toBe(at)
        expect(hex).toBe(file.subarray(offset, offset + hex.length / 2).toString('hex'))
        at += hex.length / 2
      }
      expect(at).toBe(file.length)
    })
  }

  it('validates writer options', async () => {
    await expect(writeParquet(market, join(dir, 'x.parquet'), { compression: 'lzo' as never })).rejects.toThrow(
      /Expected `compression` to be 'none', 'snappy' or 'zstd', got `lzo`/,
    )
    await expect(writeParquet(market, join(dir, 'x.parquet'), { rowGroupRows: 0 })).rejects.toThrow(
      /Expected `rowGroupRows`/,
    )
  })
})

describe('readParquet on bad input', { timeout: 20_000 }, () => {
  it('names the file and the problem for non-Parquet, truncated and corrupted files', async () => {
    const good = join(dir, 'good.parquet')
    await writeParquet(market, good, { compression: 'snappy' })
    const bytes = readFileSync(good)
    const cases: [string, Uint8Array, RegExp][] = [
      ['text.parquet', new TextEncoder().encode('date,close\n2020-01-01,1\n'), /is not a Parquet file/],
      ['tiny.parquet', new Uint8Array([1, 2, 3]), /is too short to be Parquet/],
      ['truncated.parquet', bytes.subarray(0, bytes.length >> 1), /is not a Parquet file/],
      [
        'no-footer.parquet',
        concat(bytes.subarray(0, 100), new Uint8Array([0xff, 0xff, 0, 0]), magic()),
        /metadata length/,
      ],
    ]
    // Garbage in the middle of the data pages: the footer is intact, pages are not.
    const garbled = Uint8Array.from(bytes)
    for (let i = 4; i < garbled.length / 2; i += 7) garbled[i] = 0xa5
    cases.push(['garbled.parquet', garbled, /garbled\.parquet (is corrupt|could not be decoded)/])
    for (const [name, data, re] of cases) {
      const path = join(dir, name)
      writeFileSync(path, data)
      const err = await readParquet(path).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err, name).toBeInstanceOf(ParquetReadError)
      expect((err as Error).message, name).toMatch(re)
      expect((err as Error).message, name).toContain(name)
    }
    await expect(readParquet(join(dir, 'absent.parquet'))).rejects.toThrow(/parquet: cannot open .*absent\.parquet/)
  })

  it.skipIf(!HAS_CORPUS)('rejects the corpus bad_data files and non-OHLCV files with a clear error', async () => {
    for (const f of ['ARROW-GH-45185.parquet', 'ARROW-RS-GH-6229-DICTHEADER.parquet', 'PARQUET-1481.parquet']) {
      const path = join(CORPUS, 'parquet/parquet-testing/bad_data', f)
      await expect(readParquet(path), f).rejects.toThrow(ParquetReadError)
      await expect(readParquet(path), f).rejects.toThrow(f)
    }
    await expect(readParquet(join(CORPUS, 'parquet/parquet-testing/data/alltypes_plain.parquet'))).rejects.toThrow(
      /has no date and close columns \(columns: id, bool_col, .*\); readParquetArrow reads any Parquet file/,
    )
  })
})

function magic(): Uint8Array {
  return new TextEncoder().encode('PAR1')
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}
