import { describe, expect, it } from 'vitest'
import { BenchUsageError } from '../src/errors.ts'
import { injectFactor, injectSlowdown, isThenable, parseInject } from '../src/inject.ts'

describe('BENCH_INJECT', () => {
  it('parses case and suite/case entries, comma separated', () => {
    expect(parseInject('cpu_fixed:1.15, harness/empty:2')).toEqual([
      { suite: null, case: 'cpu_fixed', factor: 1.15 },
      { suite: 'harness', case: 'empty', factor: 2 },
    ])
    expect(parseInject(undefined)).toEqual([])
    expect(parseInject(' ')).toEqual([])
  })
  it('rejects bad entries naming them', () => {
    expect(() => parseInject('x:fast')).toThrow(BenchUsageError)
    expect(() => parseInject('x:0.5')).toThrow(/got `x:0.5`/)
    expect(() => parseInject('Bad:2')).toThrow(/got `Bad:2`/)
    expect(() => parseInject('x')).toThrow(/factor >= 1/)
  })
  it('matches by case, or by suite and case', () => {
    const rules = parseInject('a:1.5,s2/b:2')
    expect(injectFactor(rules, 's1', 'a')).toBe(1.5)
    expect(injectFactor(rules, 's2', 'b')).toBe(2)
    expect(injectFactor(rules, 's1', 'b')).toBe(1)
    expect(injectFactor([], 's', 'a')).toBe(1)
  })
  it('busy-waits (factor - 1) x the op time after each sync and async op', async () => {
    const spin = (): number => {
      const end = process.hrtime.bigint() + 2_000_000n
      while (process.hrtime.bigint() < end) {
        // 2 ms of work
      }
      return 42
    }
    const slowed = injectSlowdown(spin, 2.5)
    let t0 = process.hrtime.bigint()
    expect(slowed()).toBe(42)
    // op >= 2 ms, then >= 1.5 x op: at least 5 ms in all (a lower bound, independent of load)
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeGreaterThanOrEqual(5)
    const slowedAsync = injectSlowdown(() => Promise.resolve().then(spin), 2.5)
    t0 = process.hrtime.bigint()
    const r = slowedAsync()
    expect(isThenable(r)).toBe(true)
    expect(await r).toBe(42)
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeGreaterThanOrEqual(5)
    expect(injectSlowdown(spin, 1)).toBe(spin)
  })
})
