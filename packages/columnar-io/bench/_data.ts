// Bench data for the CSV and Parquet cases: the synthetic market (quick 500 x 2,760 rows, full 10,000 x 2,760)
// written once per parameter set under os.tmpdir()/ttapi-columnar-io-bench/<key>/ and reused by later runs.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CaseContext } from '@ttapi/bench'
import { syntheticMarket, writeCsv, writeParquet, type ColumnTable, type ParquetCompression } from '../src/index.ts'

/** Dataset size of a profile. */
export function marketSize(ctx: CaseContext): { symbols: number; days: number; rows: number } {
  const symbols = ctx.profile === 'full' ? 10_000 : 500
  return { symbols, days: 2_760, rows: symbols * 2_760 }
}

/** The synthetic market of the profile (seed 42). */
export function market(ctx: CaseContext): ColumnTable {
  const { symbols, days } = marketSize(ctx)
  return syntheticMarket({ symbols, days, seed: 42 })
}

function dataDir(ctx: CaseContext): string {
  const { symbols, days } = marketSize(ctx)
  const dir = join(tmpdir(), 'ttapi-columnar-io-bench', `market-s${symbols}-d${days}-seed42-v1`)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** One CSV file of the whole market (header `symbol,date,open,high,low,close,volume`), and its size. */
export function marketCsv(ctx: CaseContext): { path: string; bytes: number } {
  const path = join(dataDir(ctx), 'market.csv')
  if (!existsSync(path)) {
    writeCsv(market(ctx), `${path}.tmp`)
    renameSync(`${path}.tmp`, path)
  }
  return { path, bytes: statSync(path).size }
}

/** The market as one CSV per symbol (`S0001.csv`: `date,open,high,low,close,volume`, no symbol column). */
export function marketCsvDir(ctx: CaseContext): { path: string; bytes: number } {
  const path = join(dataDir(ctx), 'per-symbol')
  if (!existsSync(path)) {
    const t = market(ctx)
    const tmp = `${path}.tmp`
    rmSync(tmp, { recursive: true, force: true })
    mkdirSync(tmp)
    let start = 0
    while (start < t.length) {
      const code = t.symbol[start]!
      let end = start
      const lines = ['date,open,high,low,close,volume']
      for (; end < t.length && t.symbol[end] === code; end++) {
        const d = new Date(t.date[end]! * 86_400_000).toISOString().slice(0, 10)
        lines.push(`${d},${t.open[end]},${t.high[end]},${t.low[end]},${t.close[end]},${t.volume[end]}`)
      }
      writeFileSync(join(tmp, `${t.symbols[code]}.csv`), lines.join('\n') + '\n')
      start = end
    }
    renameSync(tmp, path)
  }
  const bytes = readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0)
  return { path, bytes }
}

/** The market as a Parquet file written by `writeParquet` with `compression`, and its size. */
export async function marketParquet(
  ctx: CaseContext,
  compression: ParquetCompression,
): Promise<{ path: string; bytes: number }> {
  const path = join(dataDir(ctx), `market-${compression}.parquet`)
  if (!existsSync(path)) await writeParquet(market(ctx), path, { compression })
  return { path, bytes: statSync(path).size }
}

/** Throws when a timed operation produced the wrong row count (a benchmark must not time a broken path). */
export function expectRows(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`bench: ${what} produced ${got} rows, expected ${want}`)
}
