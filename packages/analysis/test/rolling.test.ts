import { describe, expect, it } from 'vitest'
import { rollingMean, rollingMeanSd, rollingSd, rollingVolatility } from '../src/index.ts'

// Reference: the window recomputed from scratch (two-pass), NaN unless full and NaN-free.
function naive(x: ArrayLike<number>, w: number, i: number): { mean: number; sd: number } {
  if (i + 1 < w) return { mean: NaN, sd: NaN }
  const win = Array.from({ length: w }, (_, j) => x[i - w + 1 + j]!)
  if (win.some((v) => v !== v)) return { mean: NaN, sd: NaN }
  const mean = win.reduce((a, b) => a + b, 0) / w
  return { mean, sd: Math.sqrt(win.reduce((a, b) => a + (b - mean) ** 2, 0) / (w - 1)) }
}

describe('rolling windows', () => {
  it('hand: mean and sd of 3 over 1, 2, 3, 4, 5', () => {
    const means = new Float64Array(5)
    const sds = new Float64Array(5)
    expect(rollingMeanSd(Float64Array.of(1, 2, 3, 4, 5), 3, means, sds)).toBe(1)
    expect(Array.from(means).slice(2)).toEqual([2, 3, 4])
    expect(means[0]).toBeNaN()
    expect(means[1]).toBeNaN()
    expect(Array.from(sds).slice(2)).toEqual([1, 1, 1])
  })

  it('matches a from-scratch recomputation over a long noisy series with NaN gaps', () => {
    let seed = 5
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const x = new Float64Array(3000)
    let p = 100
    for (let i = 0; i < x.length; i++) {
      p *= 1 + (rnd() - 0.5) * 0.05
      x[i] = i % 701 === 300 ? NaN : p
    }
    for (const w of [1, 2, 20, 50, 200]) {
      const means = new Float64Array(x.length)
      const sds = new Float64Array(x.length)
      const m2 = new Float64Array(x.length)
      rollingMeanSd(x, w, means, sds)
      rollingMean(x, w, m2)
      for (let i = 0; i < x.length; i++) {
        const r = naive(x, w, i)
        if (r.mean !== r.mean) {
          expect(means[i]).toBeNaN()
          expect(m2[i]).toBeNaN()
        } else {
          expect(Math.abs(means[i]! - r.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(r.mean))
          expect(Math.abs(m2[i]! - r.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(r.mean))
          if (w === 1) expect(sds[i]).toBeNaN()
          else expect(Math.abs(sds[i]! - r.sd)).toBeLessThanOrEqual(1e-9 * r.sd + 1e-12)
        }
      }
    }
  })

  it('stays exact where the spread is a millionth of a trending price (the drift guard)', () => {
    // Reference: naive() above. Sliding updates alone drifted to 1e-4 relative on a 2-row window like this.
    let seed = 11
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const x = new Float64Array(20_000)
    for (let i = 0; i < x.length; i++)
      x[i] = i % 3001 === 1000 ? NaN : 100 * Math.exp(i / 2000) * (1 + (rnd() - 0.5) * 1e-6)
    for (const w of [2, 3, 8, 9, 20, 50]) {
      const means = new Float64Array(x.length)
      const sds = new Float64Array(x.length)
      rollingMeanSd(x, w, means, sds)
      for (let i = 0; i < x.length; i++) {
        const r = naive(x, w, i)
        if (r.mean !== r.mean) expect(sds[i]).toBeNaN()
        else {
          expect(Math.abs(means[i]! - r.mean)).toBeLessThanOrEqual(1e-12 * r.mean)
          expect(Math.abs(sds[i]! - r.sd)).toBeLessThanOrEqual(1e-9 * r.sd)
        }
      }
    }
  })

  it('NaN at every offset of the four-row steps, short runs, and a shifted output all match', () => {
    const x = new Float64Array(1200)
    for (let i = 0; i < x.length; i++) x[i] = 50 + 10 * Math.sin(i / 7) + (i % 13)
    // Lone NaNs at each residue mod 4, a pair, and runs shorter than the window.
    for (const i of [30, 61, 95, 128, 129, 140, 150, 300, 301, 302, 303, 700, 1199]) x[i] = NaN
    for (const w of [2, 5, 20]) {
      const means = new Float64Array(x.length)
      const sds = new Float64Array(x.length)
      const last = rollingMeanSd(x, w, means, sds)
      expect(last).toBeNaN() // the last row is NaN
      for (let i = 0; i < x.length; i++) {
        const r = naive(x, w, i)
        if (r.mean !== r.mean) {
          expect(means[i]).toBeNaN()
          expect(sds[i]).toBeNaN()
        } else {
          expect(Math.abs(means[i]! - r.mean)).toBeLessThanOrEqual(1e-12 * Math.abs(r.mean))
          expect(Math.abs(sds[i]! - r.sd)).toBeLessThanOrEqual(1e-9 * r.sd + 1e-12)
        }
      }
      // The same rows written at another offset give the same values; the return is the last sd written.
      const m2 = new Float64Array(1000).fill(7)
      const s2 = new Float64Array(1000).fill(7)
      const lastShifted = rollingMeanSd(x, w, m2, s2, 400, 1199, 100)
      const m1 = new Float64Array(x.length)
      const s1 = new Float64Array(x.length)
      rollingMeanSd(x, w, m1, s1, 400, 1199)
      expect(Array.from(m2.subarray(100, 899))).toEqual(Array.from(m1.subarray(400, 1199)))
      expect(Array.from(s2.subarray(100, 899))).toEqual(Array.from(s1.subarray(400, 1199)))
      expect(m2[99]).toBe(7)
      expect(m2[899]).toBe(7)
      expect(lastShifted).toBe(s1[1198])
    }
  })

  it('rollingSd equals rollingMeanSd; a constant series has sd 0', () => {
    const out = new Float64Array(4)
    expect(rollingSd(Float64Array.of(3, 3, 3, 3), 2, out)).toBe(0)
    expect(Array.from(out).slice(1)).toEqual([0, 0, 0])
  })

  it('rollingVolatility is the sd of the last `window` returns times sqrt(252)', () => {
    // Hand: closes 100, 110, 99, 108.9 give returns 0.1, -0.1, 0.1; sd of 3 = sqrt(((2/30)^2*2 + (4/30)^2)/2)
    const out = new Float64Array(4)
    const last = rollingVolatility(Float64Array.of(100, 110, 99, 108.9), 3, out)
    const r = [0.1, -0.1, 0.1]
    const mean = r.reduce((a, b) => a + b) / 3
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 2)
    expect(last).toBeCloseTo(sd * Math.sqrt(252), 12)
    expect(out[2]).toBeNaN()
  })

  it('a window that is not an integer from 1 up fills NaN', () => {
    const out = new Float64Array(3)
    expect(rollingMean(Float64Array.of(1, 2, 3), 0, out)).toBeNaN()
    expect(Array.from(out).every((v) => v !== v)).toBe(true)
    expect(rollingMeanSd(Float64Array.of(1, 2, 3), 1.5, out, out)).toBeNaN()
    expect(rollingVolatility(Float64Array.of(1, 2, 3), 1, out)).toBeNaN()
  })
})
