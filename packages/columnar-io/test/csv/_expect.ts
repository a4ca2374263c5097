import { expect } from 'vitest'
import type { ColumnTable } from '../../src/index.ts'

/** Every value equal (NaN equal to NaN), symbols compared by name. */
export function expectSameTable(a: ColumnTable, b: ColumnTable): void {
  expect(a.length).toBe(b.length)
  for (let i = 0; i < a.length; i++) {
    if (a.symbols[a.symbol[i]!] !== b.symbols[b.symbol[i]!]) expect(`row ${i} symbol`).toBe('equal')
  }
  for (const k of ['date', 'open', 'high', 'low', 'close', 'volume'] as const) {
    const x = a[k]
    const y = b[k]
    for (let i = 0; i < a.length; i++) if (!Object.is(x[i], y[i])) expect(`${k}[${i}] ${x[i]}`).toBe(`${y[i]}`)
  }
}
