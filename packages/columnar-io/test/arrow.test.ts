import {
  DateMillisecond,
  Float32,
  Int64,
  Table,
  TimestampMicrosecond,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { ArrowTableError, createColumnTable, syntheticMarket } from '../src/index.ts'
import { fromArrowTable, toArrowTable } from '../src/arrow-entry.ts'

describe('toArrowTable', () => {
  it('wraps the same buffers (zero-copy) with the documented types', () => {
    const t = syntheticMarket({ symbols: 3, days: 20, shared: true })
    const a = toArrowTable(t)
    expect(a.numRows).toBe(60)
    expect(a.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'symbol:Dictionary<Int32, Utf8>',
      'date:Date32<DAY>',
      'open:Float64',
      'high:Float64',
      'low:Float64',
      'close:Float64',
      'volume:Float64',
    ])
    for (const k of ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(a.getChild(k)!.data[0]!.values.buffer, k).toBe(t[k].buffer)
    }
    expect(a.getChild('symbol')!.get(25)).toBe('S0002')
    expect(a.getChild('close')!.get(59)).toBe(t.close[59])
    t.close[0] = 1234.5
    expect(a.getChild('close')!.get(0)).toBe(1234.5)
  })

  it('carries open interest when present', () => {
    const t = createColumnTable(2, { openInterest: true, symbols: ['X'] })
    t.openInterest![1] = 9
    const a = toArrowTable(t)
    expect(a.getChild('openInterest')!.get(1)).toBe(9)
    expect(a.getChild('openInterest')!.data[0]!.values.buffer).toBe(t.openInterest!.buffer)
  })
})

describe('fromArrowTable', () => {
  it('round-trips toArrowTable without copying', () => {
    const t = syntheticMarket({ symbols: 4, days: 10 })
    const back = fromArrowTable(toArrowTable(t))
    expect(back.symbols).toEqual(t.symbols)
    for (const k of ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(back[k].buffer, k).toBe(t[k].buffer)
      expect(back[k]).toEqual(t[k])
    }
    expect(back.openInterest).toBeNull()
  })

  it('survives Arrow IPC (values equal; copies are fine there)', () => {
    const t = syntheticMarket({ symbols: 2, days: 7 })
    const back = fromArrowTable(tableFromIPC(tableToIPC(toArrowTable(t))))
    expect(back.symbols).toEqual(t.symbols)
    expect(back.close).toEqual(t.close)
    expect(back.date).toEqual(t.date)
  })

  it('converts other layouts: plain strings, timestamps, Float32, Int64, mixed-case names, nulls', () => {
    // 1970-01-04 is day 3 (hand computation: 3 × 86,400,000 ms).
    const a = new Table({
      Ticker: vectorFromArray(['B', 'A', 'B'], new Utf8()),
      Date: vectorFromArray(
        [new Date(3 * 86_400_000), new Date(4 * 86_400_000), new Date(5 * 86_400_000 + 1000)],
        new TimestampMicrosecond(),
      ),
      Open: vectorFromArray([1.5, 2.5, null], new Float32()),
      HIGH: vectorFromArray([2, 3, 4]),
      low: vectorFromArray([1, 2, 3]),
      close: vectorFromArray([1.5, 2.5, 3.5]),
      volume: vectorFromArray([10n, 20n, 30n], new Int64()),
      open_interest: vectorFromArray([7, 8, 9]),
    })
    const t = fromArrowTable(a, { shared: true })
    expect(t.symbols).toEqual(['B', 'A'])
    expect(Array.from(t.symbol)).toEqual([0, 1, 0])
    expect(Array.from(t.date)).toEqual([3, 4, 5])
    expect(Array.from(t.open)).toEqual([1.5, 2.5, Number.NaN])
    expect(Array.from(t.volume)).toEqual([10, 20, 30])
    expect(Array.from(t.openInterest!)).toEqual([7, 8, 9])
    expect(t.close.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('takes the symbol from options when the table has none, and DateMillisecond dates', () => {
    const a = new Table({
      date: vectorFromArray([new Date(10 * 86_400_000)], new DateMillisecond()),
      open: vectorFromArray([1]),
      high: vectorFromArray([1]),
      low: vectorFromArray([1]),
      close: vectorFromArray([1]),
      volume: vectorFromArray([1]),
    })
    const t = fromArrowTable(a, { symbol: 'AAPL' })
    expect(t.symbols).toEqual(['AAPL'])
    expect(t.date[0]).toBe(10)
    expect(() => fromArrowTable(a)).toThrow(ArrowTableError)
    expect(() => fromArrowTable(a)).toThrow(
      'arrow: table has no `symbol` column (columns: date, open, high, low, close, volume)',
    )
  })

  it('rejects a non-numeric price column', () => {
    const a = new Table({
      symbol: vectorFromArray(['A']),
      date: vectorFromArray([1]),
      open: vectorFromArray(['x'], new Utf8()),
      high: vectorFromArray([1]),
      low: vectorFromArray([1]),
      close: vectorFromArray([1]),
      volume: vectorFromArray([1]),
    })
    expect(() => fromArrowTable(a)).toThrow('arrow: column `open` has type Utf8, expected a number')
  })
})
