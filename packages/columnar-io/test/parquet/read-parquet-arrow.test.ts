import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DataType, type Field, type Table } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { ParquetReadError, syntheticMarket, writeParquet } from '../../src/index.ts'
import { readParquetArrow } from '../../src/arrow-entry.ts'
import { CORPUS, HAS_CORPUS } from '../csv/_corpus.ts'

const DATA = join(CORPUS, 'parquet/parquet-testing/data')
const BAD = join(CORPUS, 'parquet/parquet-testing/bad_data')
const HYP = join(CORPUS, 'parquet/hyparquet/test/files')

/** Row counts from PROVENANCE.md (DuckDB 1.5.6 observations) for every readable corpus file. */
const ROWS: Record<string, number> = {
  'alltypes_dictionary.parquet': 2,
  'alltypes_plain.parquet': 8,
  'alltypes_plain.snappy.parquet': 2,
  'byte_array_decimal.parquet': 24,
  'byte_stream_split.zstd.parquet': 300,
  'column_chunk_key_value_metadata.parquet': 0,
  'concatenated_gzip_members.parquet': 513,
  'datapage_v2.snappy.parquet': 5,
  'delta_binary_packed.parquet': 200,
  'delta_byte_array.parquet': 1000,
  'delta_length_byte_array.parquet': 1000,
  'fixed_length_decimal.parquet': 24,
  'float16_nonzeros_and_nans.parquet': 8,
  'hadoop_lz4_compressed.parquet': 4,
  'int32_decimal.parquet': 24,
  'int32_with_null_pages.parquet': 1000,
  'int64_decimal.parquet': 24,
  'int96_from_spark.parquet': 6,
  'list_columns.parquet': 3,
  'lz4_raw_compressed.parquet': 4,
  'nested_lists.snappy.parquet': 3,
  'nested_maps.snappy.parquet': 6,
  'nullable.impala.parquet': 7,
  'nulls.snappy.parquet': 8,
  'page_v2_empty_compressed.parquet': 10,
  'rle_boolean_encoding.parquet': 68,
  'single_nan.parquet': 1,
  'sort_columns.parquet': 6,
  'brotli_compressed.parquet': 4,
}

const utf8 = new TextDecoder()

/** A cell as plain JSON values, the way hyparquet's expected-output files write them. */
function plain(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null
  if (DataType.isDecimal(type)) {
    const words = v as Uint32Array
    let big = 0n
    for (let i = words.length - 1; i >= 0; i--) big = (big << 32n) | BigInt(words[i]!)
    if (words[words.length - 1]! & 0x80000000) big -= 1n << BigInt(32 * words.length)
    return Number(big) / 10 ** type.scale
  }
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Uint8Array) return utf8.decode(v)
  if (DataType.isList(type)) {
    const child = type.children[0]!.type
    return [...(v as Iterable<unknown>)].map((x) => plain(x, child))
  }
  if (DataType.isMap(type)) {
    const entry: Field[] = type.children[0]!.type.children
    const out: Record<string, unknown> = {}
    for (const [k, x] of v as Iterable<[unknown, unknown]>)
      out[String(plain(k, entry[0]!.type))] = plain(x, entry[1]!.type)
    return out
  }
  if (DataType.isStruct(type)) {
    const out: Record<string, unknown> = {}
    for (const f of type.children) out[f.name] = plain((v as Record<string, unknown>)[f.name], f.type)
    return out
  }
  return v
}

function rowsOf(t: Table): unknown[][] {
  const cols = t.schema.fields.map((f, i) => ({ f, vec: t.getChildAt(i)! }))
  const out: unknown[][] = []
  for (let r = 0; r < t.numRows; r++) out.push(cols.map(({ f, vec }) => plain(vec.get(r), f.type)))
  // JSON normalisation: NaN becomes null and -0 becomes 0, as in the expected files.
  return JSON.parse(JSON.stringify(out)) as unknown[][]
}

describe.skipIf(!HAS_CORPUS)('readParquetArrow on the corpus', { timeout: 30_000 }, () => {
  it('loads every readable corpus file with the row count PROVENANCE gives', async () => {
    const files = [
      ...readdirSync(DATA)
        .filter((f) => f.endsWith('.parquet'))
        .map((f) => join(DATA, f)),
      join(HYP, 'brotli_compressed.parquet'),
    ]
    expect(files).toHaveLength(Object.keys(ROWS).length)
    for (const path of files) {
      const { table: t, decoder } = await readParquetArrow(path)
      expect(t.numRows, path).toBe(ROWS[path.split('/').pop()!])
      expect(decoder, path).toBe('parquet-wasm')
    }
  })

  // Listed only when the corpus is there: vitest still runs a skipped describe's body to collect its tests.
  const jsonPairs = HAS_CORPUS
    ? readdirSync(HYP)
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.replace(/\.json$/, ''))
    : []
  for (const name of jsonPairs) {
    it(`${name}: rows equal hyparquet's decoded rows (${name}.json)`, async () => {
      const file = existsSync(join(DATA, `${name}.parquet`))
        ? join(DATA, `${name}.parquet`)
        : join(HYP, `${name}.parquet`)
      const want = JSON.parse(readFileSync(join(HYP, `${name}.json`), 'utf8')) as unknown[][]
      const got = rowsOf((await readParquetArrow(file)).table)
      if (name === 'nullable.impala') {
        // hyparquet drops map entries with null keys and writes nested structs its own way; compare what both agree on.
        expect(got.map((r) => r.slice(0, 3))).toEqual(want.map((r) => r.slice(0, 3)))
        return
      }
      expect(got).toEqual(want)
    })
  }

  it('delta_binary_packed.parquet equals delta_binary_packed_expect.csv (Apache expected output)', async () => {
    const t = (await readParquetArrow(join(DATA, 'delta_binary_packed.parquet'))).table
    const lines = readFileSync(join(DATA, 'delta_binary_packed_expect.csv'), 'utf8').trim().split('\n')
    const header = lines[0]!.split(',')
    expect(t.schema.fields.map((f) => f.name)).toEqual(header)
    lines.slice(1).forEach((line, r) => {
      line.split(',').forEach((text, c) => {
        const v = t.getChildAt(c)!.get(r) as bigint | number
        if (String(v) !== text) expect(`${header[c]}[${r}] = ${String(v)}`).toBe(text)
      })
    })
  })

  it('delta_byte_array.parquet equals delta_byte_array_expect.csv (Apache expected output)', async () => {
    const t = (await readParquetArrow(join(DATA, 'delta_byte_array.parquet'))).table
    const lines = readFileSync(join(DATA, 'delta_byte_array_expect.csv'), 'utf8').trim().split('\n')
    const header = lines[0]!.split(',').map((s) => s.replaceAll('"', ''))
    expect(t.schema.fields.map((f) => f.name)).toEqual(header)
    expect(lines.length - 1).toBe(t.numRows)
    lines.slice(1).forEach((line, r) => {
      // The expected CSV quotes every non-NULL value (some hold commas) and leaves NULL empty.
      const fields = [...line.matchAll(/(?:^|,)(?:"([^"]*)"|([^,]*))/g)].map((m) => m[1] ?? (m[2] === '' ? null : m[2]))
      expect(fields).toHaveLength(header.length)
      fields.forEach((want, c) => {
        const v = t.getChildAt(c)!.get(r) as string | null
        if (v !== want) expect(`${header[c]}[${r}] = ${v}`).toBe(want)
      })
    })
  })

  it('int96_from_spark.parquet: exact microseconds from int96_from_spark.md', async () => {
    const t = (await readParquetArrow(join(DATA, 'int96_from_spark.parquet'))).table
    expect(String(t.schema.fields[0]!.type)).toBe('Timestamp<MICROSECOND>')
    const a = t.getChild('a')!
    const values = a.data[0]!.values as BigInt64Array
    const micros = Array.from({ length: 5 }, (_, i) => (a.isValid(i) ? values[i] : null))
    // The md lists 1704141296123456, 1704070800000000, 253402225200000000, 1735599600000000, null, 9089380393200000000.
    // The sixth is stored with a nanos-of-day field above 2^63 (Spark's overflowed rebase), so it is not checked.
    expect(micros).toEqual([1704141296123456n, 1704070800000000n, 253402225200000000n, 1735599600000000n, null])
  })

  it('int32_with_null_pages.parquet: 275 nulls, min -2136906554, max 2145722375 (int32_with_null_pages.md)', async () => {
    const t = (await readParquetArrow(join(DATA, 'int32_with_null_pages.parquet'))).table
    const v = t.getChild('int32_field')!
    expect(v.nullCount).toBe(275)
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < v.length; i++) {
      const x = v.get(i) as number | null
      if (x === null) continue
      min = Math.min(min, x)
      max = Math.max(max, x)
    }
    expect([min, max]).toEqual([-2136906554, 2145722375])
  })

  it('rejects each bad_data file with the file name and the problem, without crashing', async () => {
    for (const f of readdirSync(BAD).filter((x) => x.endsWith('.parquet'))) {
      const err = await readParquetArrow(join(BAD, f)).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err, f).toBeInstanceOf(ParquetReadError)
      expect((err as Error).message, f).toMatch(
        new RegExp(`parquet: .*${f.replaceAll('.', '\\.')} (has corrupt metadata|could not be decoded)`),
      )
    }
    // The WASM reader still works after those errors.
    expect((await readParquetArrow(join(DATA, 'alltypes_plain.parquet'))).table.numRows).toBe(8)
  })
})

describe('readParquetArrow', () => {
  it('reads our column-table files with the documented types, and rejects non-Parquet files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cio-arrow-'))
    try {
      const t = syntheticMarket({ symbols: 4, days: 50 })
      const path = join(dir, 'm.parquet')
      await writeParquet(t, path, { compression: 'zstd' })
      const a = (await readParquetArrow(path)).table
      expect(a.numRows).toBe(200)
      expect(a.schema.fields.map((f) => `${f.name}:${String(f.type)}`).slice(0, 3)).toEqual([
        'symbol:Utf8',
        'date:Date32<DAY>',
        'open:Float64',
      ])
      expect(a.getChild('close')!.get(199)).toBe(t.close[199])
      const bad = join(dir, 'bad.parquet')
      writeFileSync(bad, 'not parquet at all')
      await expect(readParquetArrow(bad)).rejects.toThrow(/parquet: .*bad\.parquet is not a Parquet file/)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })
})
