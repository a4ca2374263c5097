import { describe, expect, it } from 'vitest'
import { MalformedResponseError } from '../src/errors.ts'
import { nativeFormat } from '../src/native-format.ts'

const q = (symbol: string): object => ({
  symbol,
  time: 1,
  bid: 9.99,
  ask: 10.01,
  last: 10,
  open: 10,
  high: 11,
  low: 9,
  close: 10,
  previousClose: 9.5,
  volume: 100,
})

describe('nativeFormat', () => {
  it('builds single and batch paths, URL-encoding symbols', () => {
    expect(nativeFormat.requestPath(['BRK.B'])).toBe('/quotes/BRK.B')
    expect(nativeFormat.requestPath(['A', 'B C'])).toBe('/quotes?symbols=A,B%20C')
  })

  it('maps a batch body by symbol: quotes, errors, and symbols the body forgot', () => {
    const body = JSON.stringify({
      quotes: [q('B'), q('A')],
      errors: [{ symbol: 'C', code: 'not_found', message: 'no' }],
    })
    const out = nativeFormat.parse(body, ['A', 'B', 'C', 'D'])
    expect(out[0]).toMatchObject({ symbol: 'A' })
    expect(out[1]).toMatchObject({ symbol: 'B' })
    expect(out[2]).toMatchObject({ code: 'not_found' })
    expect(out[3]).toEqual({ code: 'malformed', reason: 'ttapi: batch response lacks D' })
  })

  it('throws MalformedResponseError for a batch body without a quotes array', () => {
    expect(() => nativeFormat.parse('{"data":[]}', ['A', 'B'])).toThrow(MalformedResponseError)
    expect(() => nativeFormat.parse('{"quotes":[', ['A', 'B'])).toThrow(/not JSON/)
  })

  it('accepts a null bid and ask', () => {
    expect(nativeFormat.parse(JSON.stringify({ ...q('A'), bid: null, ask: null }), ['A'])[0]).toMatchObject({
      bid: null,
    })
  })
})
