import { describe, expect, it } from 'vitest'
import { crc32 } from '../src/_crc32.ts'

describe('crc32', () => {
  it('gives the CRC-32/ISO-HDLC check value for "123456789"', () => {
    // 0xCBF43926: the catalogue check value (reveng.sourceforge.io/crc-catalogue, CRC-32/ISO-HDLC).
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
  })

  it('gives 0 for no bytes and chains across chunks like one pass', () => {
    expect(crc32(new Uint8Array(0))).toBe(0)
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 0xff)
    const whole = crc32(bytes)
    for (const cut of [1, 7, 8, 9, 500, 999]) {
      expect(crc32(bytes.subarray(cut), crc32(bytes.subarray(0, cut)))).toBe(whole)
    }
  })

  it('matches a bit-at-a-time reference on odd lengths', () => {
    const reference = (b: Uint8Array): number => {
      let c = 0xffffffff
      for (const byte of b) {
        c ^= byte
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      }
      return ~c >>> 0
    }
    for (const n of [1, 3, 15, 16, 17, 123]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff)
      expect(crc32(bytes)).toBe(reference(bytes))
    }
  })
})
