import { describe, expect, it } from 'vitest'
import { civilFromDays, daysFromCivil, daysInMonth, isoDate, isValidDate } from '../src/_calendar.ts'

// Reference day numbers from Python's datetime: (date(y, m, d) - date(1970, 1, 1)).days.
const REFERENCE: [number, number, number, number][] = [
  [1970, 1, 1, 0],
  [1969, 12, 31, -1],
  [2000, 2, 29, 11_016],
  [2000, 3, 1, 11_017],
  [1900, 3, 1, -25_508],
  [1600, 2, 29, -135_081],
  [2199, 12, 31, 84_005],
  [1, 1, 1, -719_162],
]

describe('calendar', () => {
  it('converts dates to day numbers and back as Python datetime does', () => {
    for (const [y, m, d, days] of REFERENCE) {
      expect(daysFromCivil(y, m, d), `${y}-${m}-${d}`).toBe(days)
      expect(civilFromDays(days)).toEqual([y, m, d])
    }
    expect(isoDate(11_016)).toBe('2000-02-29')
    expect(isoDate(-719_162)).toBe('0001-01-01')
  })

  it('round-trips every day from 1800 to 2200 in order', () => {
    let expected = daysFromCivil(1800, 1, 1)
    for (let y = 1800; y < 2200; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= daysInMonth(y, m); d++) {
          if (daysFromCivil(y, m, d) !== expected) expect(daysFromCivil(y, m, d)).toBe(expected)
          expected++
        }
      }
    }
    // 400 Gregorian years hold 146,097 days.
    expect(expected - daysFromCivil(1800, 1, 1)).toBe(146_097)
  })

  it('knows leap days and month lengths', () => {
    expect([1900, 2000, 2023, 2024].map((y) => isValidDate(y, 2, 29))).toEqual([false, true, false, true])
    expect([
      isValidDate(2024, 4, 31),
      isValidDate(2024, 13, 1),
      isValidDate(2024, 0, 1),
      isValidDate(2024, 1, 0),
    ]).toEqual([false, false, false, false])
    expect(daysInMonth(2024, 12)).toBe(31)
  })
})
