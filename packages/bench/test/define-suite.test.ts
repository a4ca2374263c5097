import { describe, expect, it } from 'vitest'
import { BenchSuiteError } from '../src/errors.ts'
import { defineSuite, validateSuite } from '../src/define-suite.ts'

const ok = { name: 'sum_rows', unit: 'rows' as const, itemsPerOp: 10, fn: (): number => 1 }

describe('defineSuite', () => {
  it('returns its argument', () => {
    const s = {
      suite: 'my_suite',
      cases: [ok, { ...ok, name: 'other', itemsPerOp: (): number => 3, bytesPerOp: null }],
    }
    expect(defineSuite(s)).toBe(s)
  })
  it.each([
    ['a bad suite name', { suite: 'My-Suite', cases: [ok] }, /`suite` to match \[a-z0-9_\]\+, got `My-Suite`/],
    ['no cases', { suite: 's', cases: [] }, /`cases` to be a non-empty array/],
    ['a bad case name', { suite: 's', cases: [{ ...ok, name: 'Bad Name' }] }, /`name` to match .*got `Bad Name`/],
    ['duplicate cases', { suite: 's', cases: [ok, ok] }, /duplicate case name `sum_rows`/],
    [
      'a bad unit',
      { suite: 's', cases: [{ ...ok, unit: 'widgets' }] },
      /`unit` symbols\|rows\|bytes\|ops, got `widgets`/,
    ],
    ['no fn', { suite: 's', cases: [{ ...ok, fn: 1 }] }, /`fn` to be a function/],
    ['itemsPerOp 0', { suite: 's', cases: [{ ...ok, itemsPerOp: 0 }] }, /`itemsPerOp` to be a positive number/],
    ['negative bytesPerOp', { suite: 's', cases: [{ ...ok, bytesPerOp: -1 }] }, /`bytesPerOp`/],
    [
      'minSamples 0',
      { suite: 's', cases: [{ ...ok, minSamples: 0 }] },
      /`minSamples` to be an integer from 1 up, got `0`/,
    ],
    ['maxTimeMs -5', { suite: 's', cases: [{ ...ok, maxTimeMs: -5 }] }, /`maxTimeMs`/],
    [
      'an unknown profile',
      { suite: 's', cases: [{ ...ok, profiles: ['nightly'] }] },
      /`profiles` to be a non-empty array of quick\|full/,
    ],
    ['no profile', { suite: 's', cases: [{ ...ok, profiles: [] }] }, /`profiles` to be a non-empty array/],
    ['setup not a function', { suite: 's', cases: [{ ...ok, setup: 'x' }] }, /`setup` to be a function/],
  ])('rejects %s', (_what, suite, msg) => {
    expect(() => defineSuite(suite as never)).toThrow(BenchSuiteError)
    expect(() => defineSuite(suite as never)).toThrow(msg)
  })
  it('rejects a default export that is not a suite, naming the file', () => {
    expect(() => validateSuite(undefined, 'bench/x.bench.ts')).toThrow(/bench\/x\.bench\.ts: Expected a suite object/)
  })
})
