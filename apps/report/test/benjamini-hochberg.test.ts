import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../src/benjamini-hochberg.ts'

describe('benjaminiHochberg', () => {
  it('matches scipy.stats.false_discovery_control (= R p.adjust "BH")', () => {
    // scipy 1.17.1: false_discovery_control([0.01,0.04,0.03,0.005,0.5]) -> [0.025 0.05 0.05 0.025 0.5]
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5])
    const expected = [0.025, 0.05, 0.05, 0.025, 0.5]
    q.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12))
  })
  it('leaves a single p-value alone and caps at 1', () => {
    expect(benjaminiHochberg([0.3])).toEqual([0.3])
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95])
    expect(benjaminiHochberg([])).toEqual([])
  })
})
