import { describe, expect, it } from 'vitest'
import { InvalidOptionError, correlationMatrix } from '../src/index.ts'
import { tableOf } from './_table.ts'

// Reference: Pearson correlation by the textbook two-pass formula over the given pairs.
function pearson(x: number[], y: number[]): number {
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my)
    sxx += (x[i]! - mx) ** 2
    syy += (y[i]! - my) ** 2
  }
  return sxy / Math.sqrt(sxx * syy)
}

function walk(n: number, seed: number): number[] {
  let s = seed
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
  let p = 100
  return Array.from({ length: n }, () => (p *= 1 + (rnd() - 0.5) * 0.04))
}

const returns = (c: number[]): number[] => c.slice(1).map((v, i) => v / c[i]! - 1)

describe('correlationMatrix', () => {
  it('aligned histories (fast path): matches the two-pass Pearson formula; diagonal 1; symmetric', () => {
    const series = Array.from({ length: 9 }, (_, k) => walk(300, k + 1))
    const r = correlationMatrix(tableOf(series.map((close, k) => ({ symbol: `S${k}`, close }))))
    expect(r.completeSymbols).toBe(9)
    expect(r.dates).toBe(299)
    for (let a = 0; a < 9; a++) {
      expect(r.matrix[a * 9 + a]).toBe(1)
      for (let b = 0; b < 9; b++) {
        expect(r.matrix[a * 9 + b]).toBe(r.matrix[b * 9 + a])
        if (a !== b) expect(r.matrix[a * 9 + b]).toBeCloseTo(pearson(returns(series[a]!), returns(series[b]!)), 13)
        expect(r.pairs[a * 9 + b]).toBe(299)
      }
    }
  })

  it('hand: a symbol moving exactly twice another has correlation 1; its mirror -1', () => {
    const a = walk(50, 3)
    const b = [50]
    const c = [50]
    for (let i = 1; i < 50; i++) {
      const r = a[i]! / a[i - 1]! - 1
      b.push(b[i - 1]! * (1 + 2 * r))
      c.push(c[i - 1]! * (1 - r))
    }
    const m = correlationMatrix(
      tableOf([
        { symbol: 'A', close: a },
        { symbol: 'B', close: b },
        { symbol: 'C', close: c },
      ]),
    ).matrix
    expect(m[1]).toBeCloseTo(1, 13)
    expect(m[2]).toBeCloseTo(-1, 13)
  })

  it('histories of different lengths and gaps use pairwise-complete dates', () => {
    const long = walk(200, 7)
    const short = walk(80, 8)
    const shortDates = Array.from({ length: 80 }, (_, i) => 100 + 120 + i)
    const gappy = walk(150, 9)
    const gappyDates = Array.from({ length: 150 }, (_, i) => 100 + i + (i >= 60 ? 10 : 0))
    const r = correlationMatrix(
      tableOf([
        { symbol: 'L', close: long },
        { symbol: 'S', close: short, date: shortDates },
        { symbol: 'G', close: gappy, date: gappyDates },
      ]),
      { symbols: ['S', 'L', 'G'] },
    )
    expect(r.symbols).toEqual(['S', 'L', 'G'])
    expect(r.completeSymbols).toBe(1)
    // S vs L: S's returns are dated 221..299, where L has returns too.
    const lr = returns(long)
    const sr = returns(short)
    expect(r.pairs[0 * 3 + 1]).toBe(79)
    expect(r.matrix[0 * 3 + 1]).toBeCloseTo(pearson(sr, lr.slice(120)), 12)
    // G vs L: G's return dated 170 spans its gap (159 -> 170); pairs are G's return dates 101..259 within 101..299.
    const gr = returns(gappy)
    const gd = gappyDates.slice(1)
    const lx = gd.map((d) => lr[d - 101]!)
    expect(r.pairs[2 * 3 + 1]).toBe(149)
    expect(r.matrix[2 * 3 + 1]).toBeCloseTo(pearson(gr, lx), 12)
    // S and G overlap on dates 221..259 only.
    expect(r.pairs[0 * 3 + 2]).toBe(39)
  })

  it('NaN where undefined: a flat series, too few pairs, a one-row symbol', () => {
    const r = correlationMatrix(
      tableOf([
        { symbol: 'A', close: walk(30, 1) },
        { symbol: 'F', close: new Array<number>(30).fill(5) },
        { symbol: 'O', close: [1] },
      ]),
      { minPairs: 3 },
    )
    expect(r.matrix[0 * 3 + 1]).toBeNaN()
    expect(r.matrix[1 * 3 + 1]).toBeNaN()
    expect(r.matrix[2 * 3 + 2]).toBeNaN()
    expect(r.pairs[0 * 3 + 2]).toBe(0)
    expect(correlationMatrix(tableOf([])).matrix.length).toBe(0)
  })

  it('rejects unknown symbols and a bad minPairs', () => {
    const t = tableOf([{ symbol: 'A', close: [1, 2, 3] }])
    expect(() => correlationMatrix(t, { symbols: ['Z'] })).toThrow(InvalidOptionError)
    expect(() => correlationMatrix(t, { minPairs: 1 })).toThrow(/`minPairs`/)
  })
})
