// Intraday bars (several rows of a symbol per day) become daily bars, said in one line; duplicate daily rows fail
// the import with one line naming the symbol and the day.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TtlCache } from '@ttapi/cache'
import { locateCorpus } from '@ttapi/corpus'
import { createColumnTable, writeMetaStock } from '@ttapi/columnar-io'
import type { ColumnTable } from '@ttapi/columnar-io'
import { dailyBars, symbolsWithSharedDays } from '../src/_intraday.ts'
import { importStage } from '../src/import-stage.ts'
import { Terminal } from '../src/terminal.ts'
import { runCli } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

// The public corpus: TTAPI_CORPUS, else ../shared/corpus, else .corpus/ (`pnpm corpus`).
const corpus = locateCorpus()
const CORPUS = corpus.dir ?? ''
const HAS_CORPUS = corpus.dir !== undefined
if (!HAS_CORPUS) console.warn(`pipeline: ${corpus.reason}`)
const SERVER = ['--server-latency', '2', '--server-jitter', '0']

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-intraday-'))
  writeFileSync(join(dir, 'universe.txt'), 'MMM\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A table from rows [symbol, day, open, high, low, close, volume], in the order given. */
function table(rows: [string, number, number, number, number, number, number][]): ColumnTable {
  const symbols = [...new Set(rows.map((r) => r[0]))]
  const t = createColumnTable(rows.length, { symbols })
  rows.forEach(([s, d, o, h, l, c, v], i) => {
    t.symbol[i] = symbols.indexOf(s)
    t.date[i] = d
    t.open[i] = o
    t.high[i] = h
    t.low[i] = l
    t.close[i] = c
    t.volume[i] = v
  })
  return t
}

// Two symbols, bars in time order; values exact in float32 (MetaStock stores MBF singles).
const BARS: [string, number, number, number, number, number, number][] = []
for (const [s, base] of [
  ['AAA', 100],
  ['BBB', 20],
] as const) {
  for (let day = 19_000; day < 19_030; day++) {
    for (let k = 0; k < 4; k++) {
      const o = base + ((day * 7 + k * 3) % 11) * 0.25
      BARS.push([
        s,
        day,
        o,
        o + 1.5 + k * 0.25,
        o - 1 - k * 0.5,
        o + (k % 2 === 0 ? 0.75 : -0.5),
        100 + k * 10 + (day % 5),
      ])
    }
  }
}
/** The same bars as daily bars, by hand: first open, highest high, lowest low, last close, summed volume. */
function expectedDaily(): ColumnTable {
  const out: typeof BARS = []
  for (let i = 0; i < BARS.length; i += 4) {
    const day = BARS.slice(i, i + 4)
    out.push([
      day[0]![0],
      day[0]![1],
      day[0]![2],
      Math.max(...day.map((b) => b[3])),
      Math.min(...day.map((b) => b[4])),
      day[3]![5],
      day.reduce((a, b) => a + b[6], 0),
    ])
  }
  return table(out)
}

describe('symbolsWithSharedDays and dailyBars', () => {
  it('counts rows per day and aggregates each day', () => {
    const t = table(BARS)
    expect(symbolsWithSharedDays(t)).toEqual([
      { symbol: 'AAA', rows: 120, days: 30, most: 4, mostOn: 19_000 },
      { symbol: 'BBB', rows: 120, days: 30, most: 4, mostOn: 19_000 },
    ])
    const daily = dailyBars(t)
    const want = expectedDaily()
    expect(daily.length).toBe(60)
    for (const k of ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const)
      expect(Array.from(daily[k]), k).toEqual(Array.from(want[k]))
    expect(symbolsWithSharedDays(daily)).toEqual([])
  })
})

async function runOn(data: string, name: string): Promise<{ code: number | null; stderr: string; s: RunSummary }> {
  const home = join(dir, `home-${name}`)
  const r = await runCli(['run', '--home', home, '--data', data, '--universe', 'universe.txt', ...SERVER], dir)
  const s = JSON.parse(readFileSync(join(home, 'out', 'summary.json'), 'utf8')) as RunSummary
  return { code: r.code, stderr: r.stderr, s }
}
const stats = (s: RunSummary): string =>
  JSON.stringify(s.symbols.filter((x) => x.symbol !== 'MMM').map((x) => [x.symbol, x.stats]))

describe('ttapi run on intraday MetaStock data', () => {
  it('a generated 8-field folder (periodicity I) gives the statistics of its daily bars, and says so in one line', async () => {
    const intraday = join(dir, 'intraday')
    writeMetaStock(intraday, table(BARS), { fields: 8 })
    const daily = join(dir, 'daily')
    writeMetaStock(daily, expectedDaily(), { fields: 6 })
    const reference = await runOn(daily, 'daily')
    expect(reference.code, reference.stderr).toBe(0)
    const r = await runOn(intraday, 'intraday')
    expect(r.code, r.stderr).toBe(0)
    expect(stats(r.s)).toBe(stats(reference.s))
    const said = r.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(said).toEqual([
      expect.stringMatching(
        /^warning: EOD import: 2 symbols \(AAA, …\) hold intraday bars \(.+F1\.DAT: periodicity I, 8 fields; 120 rows on 30 days, up to 4 a day\): 240 rows aggregated to 60 daily bars/,
      ),
    ])
  })

  it('duplicate daily rows (not intraday data) fail the import in one line naming the symbol and the day; exit 1', async () => {
    const data = join(dir, 'dup')
    mkdirSync(data)
    writeFileSync(
      join(data, 'prices.csv'),
      'symbol,date,open,high,low,close,volume\nAAA,2024-01-02,10,11,9,10.5,1000\nAAA,2024-01-03,10.5,12,10,11,1200\nAAA,2024-01-03,10.5,12,10,11,1200\n',
    )
    const r = await runOn(data, 'dup')
    expect(r.code).toBe(1)
    expect(r.s.stages[1]!.status).toBe('failed')
    const reason =
      'AAA has 2 rows on 2024-01-03 (3 rows on 2 days): end-of-day data needs one row per symbol and day; remove the duplicate rows, or give intraday bars as MetaStock files of periodicity I (they are aggregated to daily bars)'
    expect(r.s.failures.find((f) => f.stage === 'import')).toEqual({
      stage: 'import',
      subject: data,
      code: 'several_rows_per_day',
      reason,
    })
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  })

  it.skipIf(!HAS_CORPUS)('the corpus FIB30 future (1-minute bars, 2003): 64,885 rows to 130 daily bars', async () => {
    const data = join(CORPUS, 'metastock/okomarov-metastockread/sampleData/Intraday')
    const lines: string[] = []
    const terminal = new Terminal({
      stdout: () => {},
      stderr: (t) => void lines.push(t),
      stderrIsTTY: false,
      color: false,
      ci: true,
    })
    const cacheDir = join(dir, 'fib30-cache')
    const cache = new TtlCache({ dir: join(cacheDir, 'entries') })
    const r = await importStage({
      mode: 'cold',
      dataDir: data,
      cache,
      cacheDir,
      terminal,
      warnings: [],
    })
    await r.cacheWrite
    expect(r.report.status).toBe('ok')
    const t = r.table!
    expect([t.symbols, t.length]).toEqual([['FIB30'], 130])
    // Reference: the day's bars decoded from F1.DAT by an independent MBF decoder (Python, struct of the 32-byte
    // records: date, time, open, high, low, close, volume, oi), times ascending within every day.
    // 2003-01-02: 478 bars; 2003-07-04: 487 bars.
    expect([t.date[0], t.open[0], t.high[0], t.low[0], t.close[0], t.volume[0]]).toEqual([
      12_054, 23_785, 24_930, 23_770, 24_790, 9_186,
    ])
    const z = t.length - 1
    expect([t.date[z], t.open[z], t.high[z], t.low[z], t.close[z], t.volume[z]]).toEqual([
      12_237, 24_965, 24_965, 24_725, 24_920, 7_667,
    ])
    expect(lines.join('')).toContain(
      'warning: EOD import: FIB30 holds intraday bars (' +
        `${join(data, 'F1.DAT')}: periodicity I, 8 fields; 64,885 rows on 130 days, up to 515 a day): 64,885 rows aggregated to 130 daily bars`,
    )

    const run = await runOn(data, 'fib30')
    expect(run.code, run.stderr).toBe(0)
    expect(run.s.symbols.find((x) => x.symbol === 'FIB30')?.stats?.rows).toBe(130)
  })
})
