// Suite `columnar_io`, case `metastock_import`: the synthetic market written once as MetaStock directories of at most
// 300 (quick) or 2,000 (full) symbols each, as real databases are split (MASTER/EMASTER with F1..F255.DAT, XMASTER
// with F<n>.MWD), by a child process (bench/_metastock-tree.ts); then imported by `importMetaStock` (worker pool,
// shared columns) into a preallocated table reused by every operation.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { defineSuite, type CaseContext, type SuiteDefinition } from '@ttapi/bench'
import { createColumnTable, importMetaStock, type ColumnTable } from '../src/index.ts'
import { expectRows, marketSize } from './_data.ts'

interface MetaStockState {
  dir: string
  rows: number
  bytes: number
  into: ColumnTable
}

/** The market as MetaStock directories of `perDir` symbols, written once per parameter set by a child process. */
function metastockTree(ctx: CaseContext): string {
  const { symbols, days } = marketSize(ctx)
  const perDir = ctx.profile === 'full' ? 2_000 : 300
  const dir = join(tmpdir(), 'ttapi-columnar-io-bench', `metastock-s${symbols}-d${days}-seed42-per${perDir}-v1`)
  if (existsSync(dir)) return dir
  const tmp = `${dir}.tmp${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
  const script = fileURLToPath(new URL('./_metastock-tree.ts', import.meta.url))
  const child = spawnSync(
    process.execPath,
    ['--import', tsx, script, String(symbols), String(days), String(perDir), tmp],
    {
      stdio: 'inherit',
    },
  )
  if (child.status !== 0) throw new Error(`bench: writing the MetaStock tree failed (exit ${String(child.status)})`)
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
