// The symbol a file stands for when its rows have no symbol column.
import { basename } from 'node:path'

/** The symbol a file stands for when it has no symbol column: `AAPL_data.csv` → `AAPL`, `SPY_D.csv` → `SPY`. */
export function symbolFromPath(path: string): string {
  const base = basename(path).replace(/\.(csv|txt|tsv|parquet)$/i, '')
  const cut = base.indexOf('_')
  return cut > 0 ? base.slice(0, cut) : base
}
