import { describe, expect, it } from 'vitest'
import {
  concatTables,
  createColumnTable,
  isSharedTable,
  isSortedBySymbolDate,
  sliceBySymbol,
  sliceRows,
  sortBySymbolDate,
  symbolRanges,
  toSharedTable,
} from '../src/index.ts'
import type { ColumnTable } from '../src/index.ts'

/** A small table from rows [symbolName, date, close]; other prices derive from close, volume = 100 * row. */
function tableOf(rows: [string, number, number][], symbols?: string[]): ColumnTable {
  const dict = symbols ?? [...new Set(rows.map((r) => r[0]))]
  const t = createColumnTable(rows.length, { symbols: dict })
  rows.forEach(([s, d, c], i) => {
    t.symbol[i] = dict.indexOf(s)
    t.date[i] = d
    t.open[i] = c - 1
    t.high[i] = c + 1
    t.low[i] = c - 2
    t.close[i] = c
    t.volume[i] = 100 * i
  })
  return t
}

const rowsOf = (t: ColumnTable): [string, number, number][] =>
  Array.from({ length: t.length }, (_, i) => [t.symbols[t.symbol[i]!]!, t.date[i]!, t.close[i]!])

describe('createColumnTable', () => {
  it('allocates zeroed columns of the given length, shared on request', () => {
    const plain = createColumnTable(3, { symbols: ['A'] })
    expect(plain.length).toBe(3)
    expect(plain.symbols).toEqual(['A'])
    expect(plain.close).toEqual(new Float64Array(3))
    expect(plain.openInterest).toBeNull()
    expect(isSharedTable(plain)).toBe(false)
    const shared = createColumnTable(3, { shared: true, openInterest: true })
    expect(isSharedTable(shared)).toBe(true)
    expect(shared.openInterest!.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(shared.symbol.buffer).not.toBe(shared.date.buffer)
  })

  it('rejects a bad length', () => {
    expect(() => createColumnTable(-1)).toThrow('Expected `length` to be an integer from 0 up, got `-1` (number)')
    expect(() => createColumnTable(1.5)).toThrow(TypeError)
  })
})

describe('toSharedTable', () => {
  it('copies a plain table into SharedArrayBuffers and returns a shared one as is', () => {
    const t = tableOf([
      ['A', 1, 10],
      ['B', 2, 20],
    ])
    const s = toSharedTable(t)
    expect(s).not.toBe(t)
    expect(isSharedTable(s)).toBe(true)
    expect(rowsOf(s)).toEqual(rowsOf(t))
    expect(s.volume).toEqual(t.volume)
    expect(toSharedTable(s)).toBe(s)
  })

  it('is readable from a worker without copying', async () => {
    const { Worker } = await import('node:worker_threads')
    const s = toSharedTable(tableOf([['A', 1, 10]]))
    const worker = new Worker('const { workerData } = require("node:worker_threads"); workerData.close[0] = 99', {
      eval: true,
      workerData: s,
    })
    await new Promise((resolve, reject) => worker.on('exit', resolve).on('error', reject))
    expect(s.close[0]).toBe(99)
  })
})

describe('concatTables', () => {
  it('merges dictionaries in first-appearance order and remaps codes', () => {
    const a = tableOf([
      ['X', 1, 1],
      ['Y', 1, 2],
    ])
    const b = tableOf(
      [
        ['Y', 2, 3],
        ['Z', 2, 4],
      ],
      ['Z', 'Y'],
    )
    const c = concatTables([a, b])
    expect(c.symbols).toEqual(['X', 'Y', 'Z'])
    expect(rowsOf(c)).toEqual([
      ['X', 1, 1],
      ['Y', 1, 2],
      ['Y', 2, 3],
      ['Z', 2, 4],
    ])
    expect(c.openInterest).toBeNull()
  })

  it('keeps open interest when any input has it, NaN elsewhere', () => {
    const a = tableOf([['X', 1, 1]])
    const b = createColumnTable(1, { openInterest: true, symbols: ['X'] })
    b.openInterest![0] = 7
    const c = concatTables([a, b], { shared: true })
    expect(isSharedTable(c)).toBe(true)
    expect(Array.from(c.openInterest!)).toEqual([Number.NaN, 7])
  })

  it('of nothing is an empty table', () => {
    expect(concatTables([]).length).toBe(0)
  })
})

describe('sortBySymbolDate, symbolRanges, sliceBySymbol', () => {
  const unsorted = (): ColumnTable =>
    tableOf(
      [
        ['MSFT', 3, 1],
        ['AAPL', 2, 2],
        ['MSFT', 1, 3],
        ['AAPL', 1, 4],
        ['IBM', 5, 5],
        ['AAPL', 3, 6],
      ],
      ['MSFT', 'ZZZ', 'AAPL', 'IBM'],
    )

  it('sorts rows by (name, date) and the dictionary by name', () => {
    const t = unsorted()
    expect(isSortedBySymbolDate(t)).toBe(false)
    const s = sortBySymbolDate(t)
    expect(s.symbols).toEqual(['AAPL', 'IBM', 'MSFT', 'ZZZ'])
    expect(rowsOf(s)).toEqual([
      ['AAPL', 1, 4],
      ['AAPL', 2, 2],
      ['AAPL', 3, 6],
      ['IBM', 5, 5],
      ['MSFT', 1, 3],
      ['MSFT', 3, 1],
    ])
    // Volumes follow their rows: volume = 100 * original row.
    expect(Array.from(s.volume)).toEqual([300, 100, 500, 400, 200, 0])
    expect(isSortedBySymbolDate(s)).toBe(true)
    expect(sortBySymbolDate(s)).toBe(s)
  })

  it('keeps shared columns shared', () => {
    expect(isSharedTable(sortBySymbolDate(toSharedTable(unsorted())))).toBe(true)
  })

  it('gives one range per symbol of a sorted table', () => {
    const s = sortBySymbolDate(unsorted())
    const r = symbolRanges(s)
    expect(Array.from(r.codes)).toEqual([0, 1, 2])
    expect(Array.from(r.starts)).toEqual([0, 3, 4])
    expect(Array.from(r.ends)).toEqual([3, 4, 6])
    expect(symbolRanges(createColumnTable(0)).codes.length).toBe(0)
  })

  it('slices a sorted table with zero-copy views', () => {
    const s = sortBySymbolDate(unsorted())
    const aapl = sliceBySymbol(s, 'AAPL')
    expect(aapl.length).toBe(3)
    expect(aapl.close.buffer).toBe(s.close.buffer)
    expect(aapl.close.byteOffset).toBe(0)
    const msft = sliceBySymbol(s, 'MSFT')
    expect(msft.date.buffer).toBe(s.date.buffer)
    expect(Array.from(msft.date)).toEqual([1, 3])
    expect(msft.date.byteOffset).toBe(4 * 4)
    expect(sliceBySymbol(s, 'NOPE').length).toBe(0)
    expect(sliceBySymbol(s, 'ZZZ').length).toBe(0)
  })

  it('gathers a copy when the symbol is not contiguous', () => {
    const t = unsorted()
    const msft = sliceBySymbol(t, 0)
    expect(msft.close.buffer).not.toBe(t.close.buffer)
    expect(rowsOf(msft)).toEqual([
      ['MSFT', 3, 1],
      ['MSFT', 1, 3],
    ])
  })
})

describe('sliceRows', () => {
  it('gives rows [start, end) as views of the table (no copy), the dictionary whole', () => {
    const t = tableOf([
      ['A', 1, 10],
      ['A', 2, 11],
      ['B', 1, 20],
      ['B', 2, 21],
    ])
    const s = sliceRows(t, 1, 3)
    expect(rowsOf(s)).toEqual([
      ['A', 2, 11],
      ['B', 1, 20],
    ])
    expect(s.symbols).toBe(t.symbols)
    expect(s.openInterest).toBeNull()
    s.close[0] = 99
    expect(t.close[1]).toBe(99)
    expect(sliceRows(t, 2, 2).length).toBe(0)
  })
})
