import { describe, expect, it } from 'vitest'
import { quantile } from '@ttapi/bench'
import { bootstrapRatios } from '../src/bootstrap.ts'
import { createRandom } from '../src/_random.ts'

/** The textbook bootstrap: resample, sort, quantile_cont. The fast count-based walk must agree exactly. */
function naive(base: number[], cur: number[], resamples: number, seed: number, probs: number[]): number[][] {
  const random = createRandom(seed)
  const draw = (x: number[]): Float64Array => {
    const out = new Float64Array(x.length)
    for (let i = 0; i < x.length; i++) out[i] = x[(random() * x.length) | 0]!
    return out.sort()
  }
  const ratios = probs.map(() => [] as number[])
  for (let r = 0; r < resamples; r++) {
    const b = draw(base)
    const c = draw(cur)
    probs.forEach((p, k) => ratios[k]!.push(quantile(c, p) / quantile(b, p)))
  }
  return ratios.map((list) => {
    const sorted = Float64Array.from(list).sort()
    return [quantile(sorted, 0.025), quantile(sorted, 0.975)]
  })
}

describe('bootstrapRatios', () => {
  it('gives exactly the intervals of the sort-every-resample bootstrap with the same draws', () => {
    const random = createRandom(5)
    const base = Array.from({ length: 37 }, () => 10 + random() * 3).sort((a, b) => a - b)
    const cur = Array.from({ length: 23 }, () => 12 + random() * 3).sort((a, b) => a - b)
    const probs = [0.5, 0.95]
    const fast = bootstrapRatios(base, cur, { resamples: 500, seed: 77, probs })
    const slow = naive(base, cur, 500, 77, probs)
    probs.forEach((p, k) => {
      expect(fast[k]!.low).toBe(slow[k]![0])
      expect(fast[k]!.high).toBe(slow[k]![1])
      expect(fast[k]!.ratio).toBe(quantile(cur, p) / quantile(base, p))
    })
  })
  it('is reproducible for a seed and rejects bad options', () => {
    const x = [1, 2, 3, 4, 5]
    expect(bootstrapRatios(x, x, { seed: 3 })).toEqual(bootstrapRatios(x, x, { seed: 3 }))
    expect(() => bootstrapRatios(x, x, { probs: [0.95, 0.5] })).toThrow(/ascending/)
    expect(() => bootstrapRatios(x, x, { resamples: 0 })).toThrow(/resamples/)
    expect(() => bootstrapRatios([], x)).toThrow(/both sides/)
  })
})
