import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  AnalysisPool,
  InvalidOptionError,
  averageTrueRange,
  ema,
  InvalidTableError,
  STANDARD_STATISTICS,
  WorkerFailedError,
  standardAnalysis,
  standardAnalysisSync,
} from '../src/index.ts'
import type { StandardAnalysisResult } from '../src/index.ts'
import { packageModule, runScript, srcModule } from './_script.ts'
import { tableOf } from './_table.ts'
import type { SymbolRows } from './_table.ts'

function market(symbols: number, days: number, seed = 1): SymbolRows[] {
  let s = seed
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
  return Array.from({ length: symbols }, (_, k) => {
    let p = 50 + k
    return {
      symbol: `S${k}`,
      close: Array.from({ length: days - (k % 7) * 13 }, () => (p *= 1 + (rnd() - 0.5) * 0.04)),
    }
  })
}

function expectSame(a: StandardAnalysisResult, b: StandardAnalysisResult): void {
  expect(a.symbols).toEqual(b.symbols)
  for (const s of STANDARD_STATISTICS) expect(Array.from(a.columns[s]), s).toEqual(Array.from(b.columns[s]))
}

describe('standardAnalysis across worker threads', () => {
  const rows = market(60, 400)

  it('gives bit-identical results to the calling-thread path, over shared columns without copying', async () => {
    const shared = tableOf(rows, true)
    const sync = standardAnalysisSync(shared, { benchmark: 'S0', riskFreeRate: 0.01 })
    await using pool = new AnalysisPool({ workers: 2 })
    await pool.ready()
    const pooled = await pool.standardAnalysis(shared, {
      benchmark: 'S0',
      riskFreeRate: 0.01,
      singleThreadBelowRows: 0,
    })
    expect(pooled.threads).toBe(2)
    expect(pooled.copiedToShared).toBe(false)
    expect(sync.threads).toBe(1)
    expectSame(pooled, sync)
    // A second call on the same pool (workers stay alive).
    expectSame(
      await pool.standardAnalysis(shared, { benchmark: 'S0', riskFreeRate: 0.01, singleThreadBelowRows: 0 }),
      sync,
    )
  })

  it('reuses its shared blocks across calls: bigger and smaller dictionaries, concurrent calls, a bad table between', async () => {
    await using pool = new AnalysisPool({ workers: 2 })
    const big = tableOf(rows, true)
    const small = tableOf(market(5, 300, 7), true)
    const opts = { benchmark: 'S0', singleThreadBelowRows: 0 }
    const bigSync = standardAnalysisSync(big, opts)
    const smallSync = standardAnalysisSync(small, opts)
    expectSame(await pool.standardAnalysis(small, opts), smallSync)
    expectSame(await pool.standardAnalysis(big, opts), bigSync) // a larger dictionary than the block held
    expectSame(await pool.standardAnalysis(small, opts), smallSync) // symbols claimed by the last call are cleared
    const bad = tableOf(rows, true)
    bad.date[500] = bad.date[499]!
    await expect(pool.standardAnalysis(bad, opts)).rejects.toThrow(InvalidTableError)
    const [a, b, c] = await Promise.all([
      pool.standardAnalysis(big, opts),
      pool.standardAnalysis(small, opts),
      pool.standardAnalysis(big, opts),
    ])
    expectSame(a, bigSync)
    expectSame(b, smallSync)
    expectSame(c, bigSync)
  })

  it('copies a non-shared table to shared memory once and says so', async () => {
    const plain = tableOf(rows)
    const r = await standardAnalysis(plain, { workers: 2, singleThreadBelowRows: 0 })
    expect(r.copiedToShared).toBe(true)
    expectSame(r, standardAnalysisSync(plain))
  })

  it('runs small tables in the calling thread', async () => {
    const r = await standardAnalysis(tableOf(market(3, 30)), { workers: 2 })
    expect(r.threads).toBe(1)
  })

  it('reports a table that is not sorted by (symbol, date), from either path', async () => {
    const t = tableOf(rows)
    t.date[500] = t.date[499]!
    expect(() => standardAnalysisSync(t)).toThrow(InvalidTableError)
    expect(() => standardAnalysisSync(t)).toThrow(/row 500 \(`S1`\) has day/)
    // The first pass takes rows two at a time: a bad date is found at either position of a step, and at a symbol's end.
    for (const row of [499, 501, 502, 786]) {
      const u = tableOf(rows)
      u.date[row] = u.date[row - 1]!
      expect(() => standardAnalysisSync(u)).toThrow(new RegExp(`row ${row} \\(`))
    }
    await expect(standardAnalysis(t, { workers: 2, singleThreadBelowRows: 0 })).rejects.toThrow(InvalidTableError)
    const split = tableOf([
      { symbol: 'A', close: [1, 2] },
      { symbol: 'B', close: [1, 2] },
    ])
    split.symbol[1] = 1
    split.symbol[2] = 0
    await expect(standardAnalysis(split, { workers: 2, singleThreadBelowRows: 0 })).rejects.toThrow(/two separate runs/)
    const outside = tableOf([{ symbol: 'A', close: [1, 2, 3] }])
    outside.symbol[2] = 5
    expect(() => standardAnalysisSync(outside)).toThrow(/row 2 has symbol code 5, outside the dictionary of 1 symbols/)
    expect(() => standardAnalysisSync(split)).toThrow(
      /not sorted by symbol: `A` has rows in two separate runs \(one starts at row 2\)/,
    )
  })

  it('rejects bad options eagerly with the option named', async () => {
    const t = tableOf(market(2, 30))
    expect(() => standardAnalysisSync(t, { riskFreeRate: Number.NaN })).toThrow(InvalidOptionError)
    expect(() => standardAnalysisSync(t, { periodsPerYear: 0 })).toThrow(/`periodsPerYear`/)
    expect(() => standardAnalysisSync(t, { benchmark: 'NOPE' })).toThrow(/`benchmark` names `NOPE`/)
    expect(() =>
      standardAnalysisSync(t, { benchmark: { date: Int32Array.of(1, 1), close: Float64Array.of(1, 2) } }),
    ).toThrow(/dates must increase/)
    await expect(standardAnalysis(t, { workers: 0 })).rejects.toThrow(
      'analysis: expected `workers` to be an integer from 1 up, got `0` (number)',
    )
    expect(() => new AnalysisPool({ workers: 1.5 })).toThrow(InvalidOptionError)
    const short = tableOf(market(1, 30))
    short.close = short.close.subarray(0, 10)
    expect(() => standardAnalysisSync(short)).toThrow(/column `close` has 10 values for a table of 30 rows/)
  })

  it('accepts a benchmark series outside the table', () => {
    const t = tableOf(market(2, 60))
    const bench = { date: t.date.slice(0, 60), close: t.close.slice(0, 60) }
    const a = standardAnalysisSync(t, { benchmark: bench })
    const b = standardAnalysisSync(t, { benchmark: 'S0' })
    expect(Array.from(a.columns.beta)).toEqual(Array.from(b.columns.beta))
  })

  it('a closed pool refuses work', async () => {
    const pool = new AnalysisPool({ workers: 1 })
    await pool.close()
    await pool.close()
    await expect(pool.standardAnalysis(tableOf(rows), { singleThreadBelowRows: 0 })).rejects.toThrow(WorkerFailedError)
  })

  it('an idle pool that was never closed does not keep the process alive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analysis-pool-'))
    try {
      const script = join(dir, 'forgot-close.mts')
      const index = fileURLToPath(new URL('../src/index.ts', import.meta.url))
      writeFileSync(
        script,
        `import { AnalysisPool } from ${JSON.stringify(index)}
         const pool = new AnalysisPool({ workers: 2 })
         await pool.ready()
         console.log('ready', pool.size)`,
      )
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        timeout: 30_000,
      })
      expect(stdout.trim()).toBe('ready 2')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the bundle in one thread across calls', () => {
  // Optimised code that read a field of the per-call option objects depended on the field's type, which V8 widens
  // when an object literal runs a second time: the second call threw the compiled kernel away, and some processes
  // then ran it 2.7x slower for good. Synchronous compilation makes the first call optimise it deterministically.
  it('keeps the kernel the first call optimised', async () => {
    const out = await runScript(
      `import { syntheticMarket } from ${packageModule('@ttapi/columnar-io')}
       import { standardAnalysisSync } from ${srcModule('index.ts')}
       const table = syntheticMarket({ seed: 1, symbols: 200, days: 600 })
       for (let k = 0; k < 3; k++) console.log(\`call \${k}: \${standardAnalysisSync(table, { benchmark: 'S0001' }).length}\`)`,
      ['--no-concurrent-recompilation', '--trace-opt', '--trace-deopt'],
    )
    const lines = out.split('\n')
    const first = lines.indexOf('call 0: 200')
    expect(first).toBeGreaterThan(0)
    expect(lines.slice(0, first).some((l) => /completed compiling .*analyzeSymbol/.test(l))).toBe(true)
    expect(lines.filter((l) => /^call \d/.test(l))).toEqual(['call 0: 200', 'call 1: 200', 'call 2: 200'])
    const lost = lines.slice(first).filter((l) => /(marking dependent code|bailout).*analyze(Symbol|Run|Rows)/.test(l))
    expect(lost).toEqual([])
  })
})

describe('the bundle over long histories', () => {
  // The bundle runs EMA and ATR over the last 1,024 rows of a symbol only (their older rows weigh below 2^-109). The
  // full-length kernels are the reference, bit for bit: lengths around the cut, wild and calm prices, trends, and
  // NaN closes, highs and lows right at the cut.
  it('gives the same EMA 12/26 and ATR 14 doubles as the full-length kernels', () => {
    let seed = 7
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const rows: SymbolRows[] = []
    const lengths = [1023, 1024, 1025, 1040, 2000, 2760, 6000]
    const moves = [0.0001, 0.02, 0.3]
    for (const days of lengths) {
      for (const move of moves) {
        for (const nanAt of [-1, 0, 1, 13, 14]) {
          let p = 20 + rows.length
          const close = Array.from({ length: days }, (_, i) => (p *= 1 + (rnd() - 0.5) * move + (i % 2 ? 1e-4 : 0)))
          const high = close.map((c) => c * (1 + rnd() * move))
          const low = close.map((c) => c * (1 - rnd() * move * 0.5))
          // A gap in the data right at the row where the bundle starts (days - 1024) and around it.
          const cut = days - 1024 + nanAt
          if (nanAt >= 0 && cut > 0) {
            close[cut] = NaN
            if (nanAt === 13) high[cut + 3] = NaN
            if (nanAt === 14) low[cut - 1] = NaN
          }
          rows.push({ symbol: `L${rows.length}`, close, high, low })
        }
      }
    }
    const table = tableOf(rows)
    const r = standardAnalysisSync(table)
    const out = new Float64Array(6000)
    let s = 0
    rows.forEach((row, k) => {
      const e = s + row.close.length
      expect(r.symbols[k]).toBe(row.symbol)
      const want = {
        ema12: ema(table.close, 12, out, s, e, 0),
        ema26: ema(table.close, 26, out, s, e, 0),
        atr14: averageTrueRange(table.high, table.low, table.close, 14, null, s, e),
      }
      for (const name of ['ema12', 'ema26', 'atr14'] as const) {
        expect(Number.isFinite(want[name]), `${row.symbol} ${name}`).toBe(true)
        expect(
          Object.is(r.columns[name][k], want[name]),
          `${row.symbol} ${name}: ${r.columns[name][k]} vs ${want[name]}`,
        ).toBe(true)
      }
      s = e
    })
  })
})
