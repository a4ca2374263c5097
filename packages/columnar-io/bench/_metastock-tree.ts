// Writes the synthetic market as a tree of MetaStock directories (`d00`, `d01`, … of `perDir` symbols each). Run as a
// child process by metastock.bench.ts so the benchmark process never holds the generated market: its peak RSS is
// then the import's own.
//   node --import tsx bench/_metastock-tree.ts <symbols> <days> <perDir> <outDir>
import { join } from 'node:path'
import { symbolRanges, syntheticMarket, writeMetaStock, type ColumnTable } from '../src/index.ts'

/** Writes `symbols` × `days` (seed 42) into `out` as directories of at most `perDir` symbols. */
export function writeMetaStockTree(symbols: number, days: number, perDir: number, out: string): void {
  const m = syntheticMarket({ symbols, days, seed: 42 })
  const ranges = symbolRanges(m)
  for (let first = 0, k = 0; first < ranges.codes.length; first += perDir, k++) {
    const from = ranges.starts[first]!
    const to = ranges.ends[Math.min(first + perDir, ranges.codes.length) - 1]!
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
    writeMetaStock(join(out, `d${String(k).padStart(2, '0')}`), part)
  }
}

if (import.meta.filename === process.argv[1]) {
  const [symbols, days, perDir, out] = process.argv.slice(2)
  writeMetaStockTree(Number(symbols), Number(days), Number(perDir), out!)
}
