// Suite `columnar_io`, CSV cases: one CSV of the whole synthetic market (symbol column, ISO dates) into columns.
// Ours (`importCsv`, worker threads) against udsv (the fastest JS CSV parser we know) and DuckDB's read_csv, both
// materialised into JS arrays, in the same run.
import { readFileSync } from 'node:fs'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { defineSuite, type CaseContext, type SuiteDefinition } from '@ttapi/bench'
import { inferSchema, initParser } from 'udsv'
import { importCsv } from '../src/index.ts'
import { expectRows, marketCsv, marketCsvDir, marketSize } from './_data.ts'

interface CsvState {
  path: string
  bytes: number
  rows: number
}

function setupCsv(ctx: CaseContext): CsvState {
  return { ...marketCsv(ctx), rows: marketSize(ctx).rows }
}

const items = (_s: CsvState, ctx: CaseContext): number => marketSize(ctx).rows
const bytes = (s: CsvState): number => s.bytes

const suite: SuiteDefinition = defineSuite({
  suite: 'columnar_io',
  cases: [
    {
      name: 'csv_import',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: async (ctx: CaseContext) => {
        const s = setupCsv(ctx)
        // Start the worker pool outside the timing (it is kept for the life of the process).
        await importCsv(s.path)
        return s
      },
      fn: async (s: CsvState) => {
        const { table } = await importCsv(s.path)
        expectRows(table.length, s.rows, 'importCsv')
      },
    },
    {
      // The same rows as one file per symbol (symbol from the file name), spread over the workers by file.
      name: 'csv_import_files',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: async (ctx: CaseContext) => {
        const s = { ...marketCsvDir(ctx), rows: marketSize(ctx).rows }
        await importCsv(s.path)
        return s
      },
      fn: async (s: CsvState) => {
        const { table } = await importCsv(s.path)
        expectRows(table.length, s.rows, 'importCsv (files)')
      },
    },
    {
      name: 'csv_import_udsv',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: setupCsv,
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: (s: CsvState) => {
        const text = readFileSync(s.path, 'utf8')
        const parser = initParser(inferSchema(text))
        const cols = parser.typedCols(text)
        expectRows(cols[0]!.length, s.rows, 'udsv')
      },
    },
    {
      name: 'csv_import_duckdb',
      unit: 'rows',
      itemsPerOp: items,
      bytesPerOp: bytes,
      setup: async (ctx: CaseContext) => {
        const db: DuckDBConnection = await (await DuckDBInstance.create()).connect()
        return { ...setupCsv(ctx), db }
      },
      minSamples: 2,
      maxTimeMs: 4_000,
      fn: async (s: CsvState & { db: DuckDBConnection }) => {
        const reader = await s.db.runAndReadAll(
          `select symbol, (date - date '1970-01-01')::int as date, open, high, low, close, volume from read_csv('${s.path}')`,
        )
        const cols = reader.getColumnsJS()
        expectRows(cols[0]!.length, s.rows, 'duckdb read_csv')
      },
      teardown: (s: { db: DuckDBConnection }) => s.db.closeSync(),
    },
  ],
})

export default suite
