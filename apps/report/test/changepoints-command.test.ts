import { describe, expect, it } from 'vitest'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import { main } from '../src/cli.ts'
import { captureIO as io, tempDir } from './_runs.ts'

describe('report changepoints', () => {
  it('lists change points as JSON and rejects a bad option', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 4, days: 12, labels: ['main'], cases: 2, samples: 20 })
    const t = io()
    expect(await main(['changepoints', '--history', dir, '--format', 'json'], t.io)).toBe(0)
    const parsed = JSON.parse(t.out.join('')) as { options: { maxPValue: number }; change_points: unknown[] }
    expect(parsed.options.maxPValue).toBe(1e-5)
    expect(Array.isArray(parsed.change_points)).toBe(true)
    const bad = io()
    expect(await main(['changepoints', '--history', dir, '--window', 'x'], bad.io)).toBe(2)
    expect(bad.err.join('')).toMatch(/--window to be a number/)
  })
})
