// readParquetArrow on files arrow-rs (parquet-wasm) refuses or that declare more than the memory budget: footers
// patched from real files (test/parquet/_footer.ts), DuckDB as the oracle for every value read.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import type { Table, Vector } from 'apache-arrow'
import { parquetMetadata } from 'hyparquet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ColumnarIoError, ParquetBudgetError, syntheticMarket, writeParquet } from '../../src/index.ts'
import { readParquetArrow } from '../../src/arrow-entry.ts'
import { CT, columnMetas, patchFooter, setField } from './_footer.ts'

let dir: string
let conn: DuckDBConnection
let closeDuck: () => void

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cio-arrow-fallback-'))
  const instance = await DuckDBInstance.create(':memory:')
  conn = await instance.connect()
  closeDuck = () => {
    conn.closeSync()
    instance.closeSync()
  }
})
afterAll(() => {
  closeDuck()
  rmSync(dir, { recursive: true, force: true })
})

/** The raw stored value of row `i` (days for DATE, ticks for timestamps, bigint for 64-bit), or null. */
function raw(vec: Vector, i: number): unknown {
  let k = i
  for (const d of vec.data) {
    if (k < d.length) {
      if (!d.getValid(k)) return null
      if (d.values instanceof Int32Array || d.values instanceof Float64Array || d.values instanceof BigInt64Array)
        return d.values[d.offset + k]
      return vec.get(i)
    }
    k -= d.length
  }
  throw new Error(`row ${i} out of range`)
}

/** A scalar as text (numbers in shortest round-trip form, as DuckDB's doubles come back to JS). */
function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

/** The table as rows of strings (null kept), for comparison with DuckDB's VARCHAR casts. */
function rowsOf(t: Table, columns: string[]): (string | null)[][] {
  const vecs = columns.map((c) => t.getChild(c)!)
  return Array.from({ length: t.numRows }, (_, i) =>
    vecs.map((v) => {
      const x = raw(v, i)
      return x === null ? null : text(x)
    }),
  )
}

/** DuckDB's reading of the same file as JS values (numbers, bigints, strings, booleans) turned to text. */
async function duckRows(path: string, select: string): Promise<(string | null)[][]> {
  const reader = await conn.runAndReadAll(`SELECT ${select} FROM read_parquet('${path}')`)
  return reader.getRowsJS().map((r) => r.map((v) => (v === null ? null : text(v))))
}

describe('readParquetArrow: a column chunk whose dictionary_page_offset is 0 (older writers)', () => {
  it('is decoded by hyparquet when parquet-wasm refuses it, with every value DuckDB reads, and says so', async () => {
    const base = join(dir, 'base.parquet')
    await conn.run(`COPY (
      SELECT i::INTEGER AS id, (i * 1.25 - 7)::DOUBLE AS x, (i * 1.25 - 7)::DECIMAL(9, 2) AS dec, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || i END AS s,
             DATE '1999-12-30' + i::INTEGER AS d, i::BIGINT * 1000000007 - 5 AS big, i % 3 = 0 AS flag,
             TIMESTAMP '2001-02-03 04:05:06.123456' + INTERVAL (i * 61) SECOND AS ts
      FROM range(0, 3000) t(i)) TO '${base}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)`)
    const patched = join(dir, 'dict0.parquet')
    let set = 0
    patchFooter(base, patched, (footer) => {
      for (const { meta } of columnMetas(footer))
        if (!meta.fields.some((f) => f.id === 11)) {
          // ColumnMetaData.dictionary_page_offset (field 11) = 0 on a chunk without a dictionary page.
          setField(meta, 11, CT.I64, 0n)
          set++
        }
    })
    expect(set).toBeGreaterThan(0)
    const meta = parquetMetadata(new Uint8Array(readFileSync(patched)).buffer)
    expect(meta.row_groups[0]!.columns.some((c) => c.meta_data?.dictionary_page_offset === 0n)).toBe(true)

    const { table, decoder, fallbackReason } = await readParquetArrow(patched)
    expect(decoder).toBe('hyparquet')
    expect(fallbackReason).toMatch(/\S/)
    expect(table.numRows).toBe(3000)
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'id:Int32',
      'x:Float64',
      'dec:Float64', // the fallback gives decimals as Float64 (parquet-wasm as Decimal)
      's:Utf8',
      'd:Date32<DAY>',
      'big:Int64',
      'flag:Bool',
      'ts:Timestamp<MICROSECOND>',
    ])
    const want = await duckRows(patched, `id, x, dec::DOUBLE, s, d - DATE '1970-01-01', big, flag, epoch_us(ts)`)
    expect(rowsOf(table, ['id', 'x', 'dec', 's', 'd', 'big', 'flag', 'ts'])).toEqual(want)
    // The unpatched file still goes through parquet-wasm, with the same values.
    const plain = await readParquetArrow(base)
    expect(plain.decoder).toBe('parquet-wasm')
    const withoutDec = want.map((r) => [...r.slice(0, 2), ...r.slice(3)])
    expect(rowsOf(plain.table, ['id', 'x', 's', 'd', 'big', 'flag', 'ts'])).toEqual(withoutDec)
  })
})

describe('readParquetArrow: memory budget (maxDecodedBytes)', () => {
  /** Our own OHLCV file with the close chunk declaring `bytes` uncompressed. */
  async function declaring(name: string, bytes: bigint): Promise<string> {
    const base = join(dir, `${name}-base.parquet`)
    await writeParquet(syntheticMarket({ symbols: 3, days: 40 }), base, { compression: 'none' })
    const out = join(dir, `${name}.parquet`)
    patchFooter(base, out, (footer) => {
      const close = columnMetas(footer).find((c) => c.path === 'close')!
      setField(close.meta, 6, CT.I64, bytes) // ColumnMetaData.total_uncompressed_size
    })
    return out
  }

  it('refuses a file declaring a 3 GiB column before decoding, naming the column, its size and the budget', async () => {
    const path = await declaring('big', 3n * 2n ** 30n)
    const err: unknown = await readParquetArrow(path).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ParquetBudgetError)
    const e = err as ParquetBudgetError
    expect([e.code, e.column, e.declaredBytes, e.budget]).toEqual([
      'COLUMNAR_PARQUET_BUDGET',
      'close',
      3 * 2 ** 30,
      2 ** 30,
    ])
    expect(e.message).toMatch(
      /^parquet: \S+big\.parquet column "close" declares 3,221,225,472 bytes uncompressed \([\d,]+ in all columns\), over the memory budget of 1,073,741,824 bytes \(option maxDecodedBytes\); not decoded$/,
    )
  })

  it('with a budget above it, decodes a chunk over arrow-rs 2 GiB WASM limit with hyparquet, values as DuckDB reads them', async () => {
    const path = await declaring('big-allowed', 3n * 2n ** 30n)
    const { table, decoder, fallbackReason } = await readParquetArrow(path, { maxDecodedBytes: 4 * 2 ** 30 })
    expect(decoder).toBe('hyparquet')
    expect(fallbackReason).toMatch(
      /column "close" has a 3221225472-byte chunk, over arrow-rs's 2147483647-byte WASM limit/,
    )
    const cols = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume']
    const want = await duckRows(path, `symbol, date - DATE '1970-01-01', open, high, low, close, volume`)
    expect(rowsOf(table, cols)).toEqual(want)
  })

  it('holds the sum over all columns and row groups to the budget, naming the largest column (sizes from hyparquet)', async () => {
    const path = join(dir, 'small.parquet')
    await writeParquet(syntheticMarket({ symbols: 5, days: 30 }), path, { compression: 'none' })
    const meta = parquetMetadata(new Uint8Array(readFileSync(path)).buffer)
    const sums = new Map<string, number>()
    for (const rg of meta.row_groups)
      for (const c of rg.columns) {
        const name = c.meta_data!.path_in_schema.join('.')
        sums.set(name, (sums.get(name) ?? 0) + Number(c.meta_data!.total_uncompressed_size))
      }
    const total = [...sums.values()].reduce((a, b) => a + b, 0)
    const [column, bytes] = [...sums].sort((a, b) => b[1] - a[1])[0]!
    expect((await readParquetArrow(path, { maxDecodedBytes: total })).decoder).toBe('parquet-wasm')
    await expect(readParquetArrow(path, { maxDecodedBytes: total - 1 })).rejects.toMatchObject({
      name: 'ParquetBudgetError',
      column,
      declaredBytes: bytes,
      budget: total - 1,
    })
  })

  it('rejects a budget that is not a positive integer, naming the option', async () => {
    const err: unknown = await readParquetArrow(join(dir, 'small.parquet'), { maxDecodedBytes: 0 }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(ColumnarIoError)
    expect(err).toMatchObject({
      code: 'COLUMNAR_INVALID_OPTION',
      message: 'parquet: expected `maxDecodedBytes` to be a positive integer, got `0` (number)',
    })
  })
})
