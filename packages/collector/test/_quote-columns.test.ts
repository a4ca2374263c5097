import { decodeValue, encodeValue } from '@ttapi/cache'
import { describe, expect, it } from 'vitest'
import { columnsToQuotes, isQuoteColumns, quotesToColumns } from '../src/_quote-columns.ts'
import type { Quote } from '../src/index.ts'

const quotes: Quote[] = [
  {
    symbol: 'MMM',
    time: 1795813200000,
    bid: 168.58,
    ask: 168.62,
    last: 168.6,
    open: 169.58,
    high: 169.61,
    low: 167.62,
    close: 168.6,
    previousClose: 168.98,
    volume: 2464342,
  },
  {
    symbol: 'BRK.B',
    time: 1795813200000,
    bid: null,
    ask: null,
    last: 412.5,
    open: 410,
    high: 413,
    low: 409.25,
    close: 412.5,
    previousClose: 411,
    volume: 0,
  },
]

describe('quote columns', () => {
  it('round-trips quotes, null bid/ask included, through columns and the columnar codec', () => {
    const columns = quotesToColumns(quotes)
    expect(columns.length).toBe(2)
    expect(columns.symbol).toEqual(['MMM', 'BRK.B'])
    expect([...columns.close]).toEqual([168.6, 412.5])
    expect(Number.isNaN(columns.bid[1])).toBe(true)
    expect(columnsToQuotes(columns)).toEqual(quotes)
    const encoded = encodeValue(columns)
    const back = decodeValue(encoded.codec, new Uint8Array(Buffer.concat(encoded.chunks)))
    expect(isQuoteColumns(back)).toBe(true)
    expect(columnsToQuotes(back as typeof columns)).toEqual(quotes)
  })

  it('handles no quotes and recognises only well-formed columns', () => {
    expect(columnsToQuotes(quotesToColumns([]))).toEqual([])
    expect(isQuoteColumns(quotesToColumns([]))).toBe(true)
    expect(isQuoteColumns({ version: 1, length: 1, symbol: ['A'] })).toBe(false)
    expect(isQuoteColumns({ ...quotesToColumns(quotes), version: 2 })).toBe(false)
    expect(isQuoteColumns(null)).toBe(false)
  })
})
