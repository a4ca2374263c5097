import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_RETRY_STATUSES, parseRetryAfter } from '../src/_retry.ts'

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T00:00:00Z')
  it('reads delay-seconds, decimals included', () => {
    expect(parseRetryAfter('2', now)).toBe(2000)
    expect(parseRetryAfter(' 0.05 ', now)).toBe(50)
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000)
  })
  it('reads an HTTP-date (RFC 9110 IMF-fixdate) relative to now, past dates as 0', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Thu, 26 Nov 2026 23:00:00 GMT', now)).toBe(0)
  })
  it('returns null when absent or unparsable', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull()
    expect(parseRetryAfter('', now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter('-1', now)).toBeNull()
  })
})

describe('backoffDelay (full jitter)', () => {
  it('is uniform in [0, min(max, base * 2^(attempt-1)))', () => {
    expect(backoffDelay(1, 100, 5000, () => 0.999)).toBe(99)
    expect(backoffDelay(3, 100, 5000, () => 0.5)).toBe(200)
    expect(backoffDelay(10, 100, 5000, () => 0.5)).toBe(2500)
    expect(backoffDelay(4, 100, 5000, () => 0)).toBe(0)
  })
  it('retries exactly the documented statuses by default', () => {
    expect(DEFAULT_RETRY_STATUSES).toEqual([429, 502, 503, 504])
  })
})
