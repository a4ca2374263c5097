// Microsoft Binary Format singles and MetaStock dates (FORMAT.md §6-7, verified against the corpus).
// An MBF single read as a little-endian u32 w has exponent E = w >>> 24 (bias 128, 0 means zero), sign = bit 23 and
// mantissa = bits 0..22 with the binary point before an implicit leading 1: value = ±(0x800000 | m) × 2^(E − 152),
// exact in a double. `SCALE[w >>> 23]` holds ±2^(E − 152) for each (E, sign); E = 0 gives 0 and so do E = 1, 2,
// whose literal values (≈ 5.9e-39) are what some writers store for 0.0 (FORMAT.md §7.3).
import { civilFromDays, daysFromCivil, isValidDate } from '../_calendar.ts'

const SCALE = new Float64Array(512)
for (let i = 6; i < 512; i++) SCALE[i] = (i & 1 ? -1 : 1) * 2 ** ((i >>> 1) - 152)

/** The value of the MBF single whose little-endian bytes form `word`. */
export function mbfToNumber(word: number): number {
  return ((word & 0x7f_ffff) | 0x80_0000) * SCALE[word >>> 23]!
}

/** The scale table, for hot loops that inline {@link mbfToNumber}. */
export const MBF_SCALE: Float64Array = SCALE

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/**
 * The MBF single nearest to `value` (rounded to float32 first), as a little-endian u32. Zero, subnormals and NaN give
 * 0; magnitudes beyond MBF's range (float32 exponent 254-255) clamp to the largest MBF single.
 */
export function numberToMbf(value: number): number {
  f32[0] = value
  const bits = u32[0]!
  const e = (bits >>> 23) & 0xff
  if (e === 0 || Number.isNaN(value)) return 0
  const sign = bits >>> 31
  if (e >= 254) return ((0xff << 24) | (sign << 23) | 0x7f_ffff) >>> 0
  return (((e + 2) << 24) | (sign << 23) | (bits & 0x7f_ffff)) >>> 0
}

/**
 * Days since 1970-01-01 of a MetaStock CYYMMDD number ((year − 1900) × 10000 + month × 100 + day; 1100104 is
 * 2010-01-04, 900622 is 1990-06-22), or NaN when it is not a valid calendar date from 1900-01-01 to 2199-12-31.
 */
export function cyymmddToDays(value: number): number {
  if (!(value >= 101 && value < 3_000_000) || value !== Math.floor(value)) return Number.NaN
  const ymd = value
  const y = 1900 + Math.floor(ymd / 10_000)
  const m = Math.floor(ymd / 100) % 100
  const d = ymd % 100
  return isValidDate(y, m, d) ? daysFromCivil(y, m, d) : Number.NaN
}

/** The CYYMMDD number of days since 1970-01-01. */
export function daysToCyymmdd(days: number): number {
  const [y, m, d] = civilFromDays(days)
  return (y - 1900) * 10_000 + m * 100 + d
}
