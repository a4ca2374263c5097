// Suite `columnar_io`, Parquet cases: the synthetic market as one Parquet file written by `writeParquet`, loaded
// into column tables. Ours (`readParquet` fast path into a preallocated table) against DuckDB, hyparquet and
// parquet-wasm + apache-arrow, each into JS arrays, on the same file in the same run; DuckDB's engine-only scan of
// that file is the ceiling. Compressed variants of our load, and the writer, are measured too.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { defineSuite, type BenchCase, type CaseContext, type SuiteDefinition } from '@ttapi/bench'
import { tableFromIPC } from 'apache-arrow'
import { asyncBufferFromFile, parquetRead } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { readParquet as wasmReadParquet } from 'parquet-wasm/node'
import {
  createColumnTable,
  readParquet,
  writeParquet,
  type ColumnTable,
  type ParquetCompression,
} from '../src/index.ts'
import { expectRows, market, marketParquet, marketSize } from './_data.ts'

interface LoadState {
  path: string
  bytes: number
  rows: number
  target: ColumnTable
}

const items = (_s: unknown, ctx: CaseContext): number => marketSize(ctx).rows
const bytes = (s: { bytes: number }): number => s.bytes

/** Our load of a file of `compression`, into a table preallocated (and touched once) in setup. */
function ourLoad(name: string, compression: ParquetCompression): BenchCase<LoadState> {
  return {
    name,
    unit: 'rows' as const,
    itemsPerOp: items,
    bytesPerOp: bytes,
    setup: async (ctx: CaseContext): Promise<LoadState> => {
      const f = await marketParquet(ctx, compression)
      const rows = marketSize(ctx).rows
      const target = createColumnTable(rows)
      await readParquet(f.path, { into: target })
      return { ...f, rows, target }
    },
    fn: async (s: LoadState) => {
      const t = await readParquet(s.path, { into: s.target })
      expectRows(t.length, s.rows, 'readParquet')
    },
  }
}

async function withDuck(ctx: CaseContext): Promise<LoadState & { db: DuckDBConnection }> {
  const f = await marketParquet(ctx, 'none')
  const db = await (await DuckDBInstance.create()).connect()
  return { ...f, rows: marketSize(ctx).rows, target: createColumnTable(0), db }
}

const suite: SuiteDefinition = defineSuite({
  suite: 'columnar_io',
  cases: [
    ourLoad('parquet_load', 'none'),
    ourLoad('parquet_load_snappy', 'snappy'),
    ourLoad('parquet_load_zstd', 'zstd'),
    {
      name: 'parquet_load_duckdb',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: withDuck,
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: async (s: LoadState & { db: DuckDBConnection }) => {
        const reader = await s.db.runAndReadAll(
          `select symbol, (date - date '1970-01-01')::int as date, open, high, low, close, volume from '${s.path}'`,
        )
        expectRows(reader.getColumnsJS()[0]!.length, s.rows, 'duckdb')
      },
      teardown: (s: { db: DuckDBConnection }) => s.db.closeSync(),
    },
    {
      name: 'parquet_scan_duckdb_engine',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: withDuck,
      // Every column is read and reduced inside DuckDB; only one row reaches JS.
      fn: async (s: LoadState & { db: DuckDBConnection }) => {
        const reader = await s.db.runAndReadAll(
          `select count(*)::int, sum(open) + sum(high) + sum(low) + sum(close) + sum(volume), max(date), min(symbol) from '${s.path}'`,
        )
        expectRows(reader.getRows()[0]![0] as number, s.rows, 'duckdb scan')
      },
      teardown: (s: { db: DuckDBConnection }) => s.db.closeSync(),
    },
    {
      name: 'parquet_load_hyparquet',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: async (ctx: CaseContext) => ({ ...(await marketParquet(ctx, 'none')), rows: marketSize(ctx).rows }),
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: async (s: { path: string; rows: number }) => {
        const cols = new Map<string, number>()
        await parquetRead({
          file: await asyncBufferFromFile(s.path),
          compressors,
          onChunk: ({ columnName, rowStart, rowEnd }) => {
            cols.set(columnName, (cols.get(columnName) ?? 0) + rowEnd - rowStart)
          },
        })
        expectRows(cols.get('close') ?? 0, s.rows, 'hyparquet')
      },
    },
    {
      name: 'parquet_load_parquet_wasm',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: async (ctx: CaseContext) => ({ ...(await marketParquet(ctx, 'none')), rows: marketSize(ctx).rows }),
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: (s: { path: string; rows: number }) => {
        const table = tableFromIPC(wasmReadParquet(readFileSync(s.path)).intoIPCStream())
        const cols = table.schema.fields.map((f) => table.getChild(f.name)!.toArray() as ArrayLike<unknown>)
        expectRows(cols[6]!.length, s.rows, 'parquet-wasm')
      },
    },
    ...(['snappy', 'zstd'] as const).map((compression) => ({
      name: compression === 'snappy' ? 'parquet_write' : 'parquet_write_zstd',
      unit: 'rows' as const,
      itemsPerOp: items,
      // In-memory column bytes written (symbol codes, dates, five doubles): 48 bytes a row.
      bytesPerOp: (_s: unknown, ctx: CaseContext) => marketSize(ctx).rows * 48,
      setup: (ctx: CaseContext) => ({ table: market(ctx), path: join(ctx.tmpDir, 'write.parquet') }),
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: (s: { table: ColumnTable; path: string }) => writeParquet(s.table, s.path, { compression }),
    })),
  ],
})

export default suite
