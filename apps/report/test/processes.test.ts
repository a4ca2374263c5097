import { describe, expect, it } from 'vitest'
import { processSamples, processTIntervals, unstableSide } from '../src/processes.ts'

const sorted = (xs: number[]): Float64Array => Float64Array.from(xs).sort()

describe('processSamples', () => {
  it('splits the samples by process, in order, each sorted', () => {
    const out = processSamples({ samples_ms: [3, 1, 2, 9, 8], processes: [{ n: 3 }, { n: 2 }] as never })
    expect(out.map((x) => [...x])).toEqual([
      [1, 2, 3],
      [8, 9],
    ])
  })
})

describe('processTIntervals', () => {
  it('is the pooled Student-t interval of the per-process log medians (hand computation)', () => {
    // Per-process medians: baseline 10, 12; current 11, 13 (each process one sample, so its median is it).
    const [[low, high]] = processTIntervals([sorted([10]), sorted([12])], [sorted([11]), sorted([13])], [0.5]) as [
      [number, number],
    ]
    // logs: b = ln 10, ln 12; c = ln 11, ln 13. d = ((ln 11 + ln 13) − (ln 10 + ln 12)) / 2.
    const d = (Math.log(11) + Math.log(13) - Math.log(10) - Math.log(12)) / 2
    const ssB = ((Math.log(10) - Math.log(12)) / 2) ** 2 * 2
    const ssC = ((Math.log(11) - Math.log(13)) / 2) ** 2 * 2
    const half = 4.303 * Math.sqrt((ssB + ssC) / 2) * Math.sqrt(1 / 2 + 1 / 2) // t(df = 2) = 4.303
    expect(low).toBeCloseTo(Math.exp(d - half), 12)
    expect(high).toBeCloseTo(Math.exp(d + half), 12)
  })

  it('refuses one process on a side', () => {
    expect(() => processTIntervals([sorted([1])], [sorted([1]), sorted([2])], [0.5])).toThrow(/2 or more/)
  })
})

describe('unstableSide', () => {
  it('flags processes whose medians differ beyond their own noise, with the spread', () => {
    const tight = (m: number): Float64Array => sorted(Array.from({ length: 30 }, (_, i) => m * (1 + (i - 15) / 1000)))
    expect(unstableSide([tight(27), tight(74)])).toBeCloseTo(74 / 27, 2)
    expect(unstableSide([tight(27), tight(28)])).toBeNull() // 3.7% apart: under the 10% floor
    expect(unstableSide([tight(27)])).toBeNull()
    // Wide processes whose intervals overlap are noisy, not unstable.
    const wide = (m: number): Float64Array => sorted(Array.from({ length: 30 }, (_, i) => m * (0.5 + i / 29)))
    expect(unstableSide([wide(27), wide(31)])).toBeNull()
  })
})
