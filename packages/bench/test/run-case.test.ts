import { describe, expect, it } from 'vitest'
import { childGlibcTunables } from '../src/run-case.ts'

describe('childGlibcTunables', () => {
  it('runs children with hugetlb malloc unless GLIBC_TUNABLES is set', () => {
    expect(childGlibcTunables({})).toBe('glibc.malloc.hugetlb=1')
    expect(childGlibcTunables({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })).toBe('glibc.malloc.arena_max=2')
  })
})
