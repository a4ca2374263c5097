// Suite `columnar_io`, case `metastock_import`: the synthetic market written once as MetaStock directories of at most
// 300 (quick) or 2,000 (full) symbols each — MASTER/EMASTER with F1..F255.DAT and XMASTER with F<n>.MWD, as real
// databases are split — then imported by `importMetaStock` (worker pool, shared columns) into a preallocated table.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineSuite, type CaseContext, type SuiteDefinition } from '@ttapi/bench'
import { createColumnTable, importMetaStock, symbolRanges, writeMetaStock, type ColumnTable } from '../src/index.ts'
import { expectRows, market, marketSize } from './_data.ts'

interface MetaStockState {
  dir: string
  rows: number
  bytes: number
  into: ColumnTable
}

/** Writes the market as directories `d00`, `d01`, … of `perDir` symbols, once per parameter set. */
function metastockTree(ctx: CaseContext): string {
  const { symbols, days } = marketSize(ctx)
  const perDir = ctx.profile === 'full' ? 2_000 : 300
  const dir = join(tmpdir(), 'ttapi-columnar-io-bench', `metastock-s${symbols}-d${days}-seed42-per${perDir}-v1`)
  if (existsSync(dir)) return dir
  const tmp = `${dir}.tmp${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  const m = market(ctx)
  const ranges = symbolRanges(m)
  for (let first = 0, k = 0; first < ranges.codes.length; first += perDir, k++) {
    const last = Math.min(first + perDir, ranges.codes.length) - 1
    const from = ranges.starts[first]!
    const to = ranges.ends[last]!
    const part: ColumnTable = {
      length: to - from,
      symbols: m.symbols,
      symbol: m.symbol.subarray(from, to),
      date: m.date.subarray(from, to),
      open: m.open.subarray(from, to),
      high: m.high.subarray(from, to),
      low: m.low.subarray(from, to),
      close: m.close.subarray(from, to),
      volume: m.volume.subarray(from, to),
      openInterest: null,
    }
    writeMetaStock(join(tmp, `d${String(k).padStart(2, '0')}`), part)
  }
  mkdirSync(join(dir, '..'), { recursive: true })
  renameSync(tmp, dir)
  return dir
}

function treeBytes(dir: string): number {
  let bytes = 0
  for (const d of readdirSync(dir)) for (const f of readdirSync(join(dir, d))) bytes += statSync(join(dir, d, f)).size
  return bytes
}

const suite: SuiteDefinition = defineSuite({
  suite: 'columnar_io',
  cases: [
    {
      name: 'metastock_import',
      unit: 'rows',
      itemsPerOp: (_s: MetaStockState, ctx: CaseContext) => marketSize(ctx).rows,
      bytesPerOp: (s: MetaStockState) => s.bytes,
      setup: async (ctx: CaseContext): Promise<MetaStockState> => {
        const dir = metastockTree(ctx)
        const { rows } = marketSize(ctx)
        // The output table is allocated and touched once (this VM backs fresh memory slowly) and refilled by every
        // operation; the first import also starts the worker pool outside the timing.
        const into = createColumnTable(rows, { shared: true })
        const first = await importMetaStock(dir, { into })
        expectRows(first.table.length, rows, 'importMetaStock')
        if (first.issues.length > 0) throw new Error(`bench: metastock import reported ${first.issues[0]!.message}`)
        return { dir, rows, bytes: treeBytes(dir), into }
      },
      fn: async (s: MetaStockState) => {
        const { table } = await importMetaStock(s.dir, { into: s.into })
        expectRows(table.length, s.rows, 'importMetaStock')
      },
    },
  ],
})

export default suite
