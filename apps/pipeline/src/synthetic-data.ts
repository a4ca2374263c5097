import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sp500Symbols } from '@ttapi/collector'
import { sliceRows, syntheticMarket, syntheticSymbols, writeCsv, writeParquet } from '@ttapi/columnar-io'
import { writeMetaStockDir } from './_metastock.ts'
import type { Terminal } from './terminal.ts'
import type { DataFormat, DatasetName } from './types.ts'

/** Trading days per symbol of every dataset but `tiny` (the reference's 27.6M rows are 10,000 x 2,760). */
const DAYS = 2760

/** Symbols and days of each dataset. */
export const DATASETS: Readonly<Record<DatasetName, { symbols: number; days: number }>> = {
  tiny: { symbols: 12, days: 300 },
  quick: { symbols: 500, days: DAYS },
  full: { symbols: 10_000, days: DAYS },
}

/** Format the synthetic market is written in by default. */
export const DEFAULT_FORMAT: DataFormat = 'metastock'

/** Symbols per Parquet or CSV file of a generated market (so the import reads several files, in parallel). */
const SYMBOLS_PER_FILE = 100

/** The descriptor written beside a generated market. */
export interface DatasetDescriptor {
  /** Dataset name. */
  dataset: DatasetName
  /** File format. */
  format: DataFormat
  /** Market seed. */
  seed: number
  /** Symbols. */
  symbols: number
  /** Rows. */
  rows: number
  /** When it was generated, ISO-8601 UTC. */
  generatedAt: string
}

/**
 * The symbol names of a dataset: the S&P 500 constituents first (so the quotes of the sp500 universe meet their
 * history), then synthetic names `S0001`, … up to the dataset's size.
 * @param dataset - Dataset name.
 */
export function datasetSymbols(dataset: DatasetName): string[] {
  const n = DATASETS[dataset].symbols
  const real = sp500Symbols.slice(0, n)
  return n <= real.length ? real : [...real, ...syntheticSymbols(n - real.length)]
}

/**
 * Writes the synthetic market of a dataset into `dir` in a format: MetaStock (one directory), or Parquet / CSV files
 * of 100 symbols each. The directory appears atomically (written beside it, then renamed).
 * @param dir - Directory to create (replaced when it exists).
 * @param dataset - Dataset name.
 * @param format - File format.
 * @param seed - Market seed.
 * @param onProgress - Called with (files written, files in all).
 */
export async function writeSyntheticMarket(
  dir: string,
  dataset: DatasetName,
  format: DataFormat,
  seed: number,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<DatasetDescriptor> {
  const { days } = DATASETS[dataset]
  const symbols = datasetSymbols(dataset)
  const table = syntheticMarket({ seed, symbols, days })
  const temp = `${dir}.${process.pid}.tmp`
  await rm(temp, { recursive: true, force: true })
  await mkdir(temp, { recursive: true })
  if (format === 'metastock') {
    onProgress(0, 1)
    await writeMetaStockDir(table, temp)
    onProgress(1, 1)
  } else {
    // Symbols are contiguous and equally long in a synthetic market: file k holds rows of symbols [100k, 100k + 100).
    const files = Math.ceil(symbols.length / SYMBOLS_PER_FILE)
    for (let k = 0; k < files; k++) {
      const from = k * SYMBOLS_PER_FILE * days
      const to = Math.min(table.length, (k + 1) * SYMBOLS_PER_FILE * days)
      const name = join(temp, `part-${String(k + 1).padStart(4, '0')}.${format}`)
      if (format === 'parquet') await writeParquet(sliceRows(table, from, to), name, { compression: 'snappy' })
      else writeCsv(sliceRows(table, from, to), name)
      onProgress(k + 1, files)
    }
  }
  const descriptor: DatasetDescriptor = {
    dataset,
    format,
    seed,
    symbols: symbols.length,
    rows: table.length,
    generatedAt: new Date().toISOString(),
  }
  await writeFile(join(temp, 'dataset.json'), `${JSON.stringify(descriptor, null, 2)}\n`)
  await rm(dir, { recursive: true, force: true })
  await rename(temp, dir)
  return descriptor
}

/**
 * The data directory of a synthetic market, generated on first use and reused after (a directory with a matching
 * `dataset.json` counts as generated).
 * @param dir - The dataset's directory (see `syntheticDataDir`).
 * @param dataset - Dataset name.
 * @param format - File format.
 * @param seed - Market seed.
 * @param terminal - Output (generation shows progress).
 * @returns whether it was generated now, and how long that took
 */
export async function ensureSyntheticMarket(
  dir: string,
  dataset: DatasetName,
  format: DataFormat,
  seed: number,
  terminal: Terminal,
): Promise<{ generated: boolean; ms: number }> {
  try {
    const d = JSON.parse(await readFile(join(dir, 'dataset.json'), 'utf8')) as Partial<DatasetDescriptor>
    if (d.dataset === dataset && d.format === format && d.seed === seed) return { generated: false, ms: 0 }
  } catch {
    // not generated yet (or an unfinished directory): generate it
  }
  const start = performance.now()
  const { symbols, days } = DATASETS[dataset]
  const progress = terminal.progress('generate market', null, 'files')
  terminal.info(
    `generating the ${dataset} synthetic market (${symbols} symbols x ${days} days, ${format}) once into ${dir}`,
  )
  const d = await writeSyntheticMarket(dir, dataset, format, seed, (done) => progress.update(done))
  const ms = performance.now() - start
  progress.finish(
    `generated ${d.rows.toLocaleString('en-US')} rows (${dataset}, ${format}) into ${dir} in ${(ms / 1000).toFixed(1)} s`,
  )
  return { generated: true, ms }
}
