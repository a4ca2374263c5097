import { createColumnTable } from './column-table.ts'
import type { ColumnTable, SyntheticBars, SyntheticMarketOptions } from './types.ts'

/** The default last day of the synthetic market: 2026-10-30 (a Friday), as days since 1970-01-01. */
export const SYNTHETIC_END_DATE = 20_756

// How the series is built (so that a bar depends only on seed, symbol and day, never on the window asked for):
// - trading days are weekdays, numbered t = 5 * week + weekday from a Monday-based week count since 1970;
// - every K = 64 trading days the log price is pinned to S_j = trend(jK) + D_j, where D is an AR(1) deviation
//   (phi 0.95) walked from a fixed origin block in 1950, so levels stay plausible across decades;
// - between pins the log price is a Brownian bridge driven by the block's own PRNG (sfc32 seeded by seed, symbol,
//   block), so any window is produced by generating only the blocks it overlaps;
// - open gaps from the previous close, high/low extend beyond max/min(open, close), volume scales with |return|.
const K = 64
const PHI = 0.95
const T_REF = tradingIndex(16_804) // 2016-01-04
const ORIGIN_BLOCK = Math.floor(tradingIndex(-7_304) / K) // 1950-01-02

const NORMAL_BITS = 13
let normalTable: Float64Array | undefined

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const lo = 0.02425
  if (p < lo || p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(p < lo ? p : 1 - p))
    const x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    return p < lo ? x : -x
  }
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

/** Standard normal values at the midpoints of 2^13 equal-probability bins, indexed by the top bits of a uniform. */
function normals(): Float64Array {
  if (normalTable === undefined) {
    const n = 1 << NORMAL_BITS
    normalTable = new Float64Array(n)
    for (let i = 0; i < n; i++) normalTable[i] = normalQuantile((i + 0.5) / n)
  }
  return normalTable
}

/** murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85eb_ca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2_ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a of the symbol's UTF-16 code units, mixed with the seed. */
function symbolHash(seed: number, symbol: string): number {
  let h = 0x811c_9dc5
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x0100_0193)
  return fmix32(h ^ fmix32(Math.imul(seed | 0, 0x9e37_79b9) ^ 0x5bd1_e995))
}

/** A uniform in [0, 1) from a 32-bit hash. */
const unit = (h: number): number => (h >>> 0) / 4_294_967_296

/** Trading-day number of weekday `day` (days since 1970-01-01, a Thursday): 5 per Monday-based week. */
function tradingIndex(day: number): number {
  const shifted = day + 3
  const week = Math.floor(shifted / 7)
  return week * 5 + (shifted - week * 7)
}

/** Calendar day of trading-day number `t`. */
function dayOf(t: number): number {
  const week = Math.floor(t / 5)
  return week * 7 + (t - week * 5) - 3
}

/** The last weekday on or before `day`. */
function lastWeekday(day: number): number {
  const w = day + 3 - Math.floor((day + 3) / 7) * 7 // 0 = Monday
  return w >= 5 ? day - (w - 4) : day
}

/** The columns one symbol's bars are generated into. */
type Columns = Pick<ColumnTable, 'date' | 'open' | 'high' | 'low' | 'close' | 'volume'>

const scratch = new Float64Array(K + 1)
// The block's sfc32 state [a, b, c, counter], reused by every block (generate never runs re-entrantly).
const rng = new Int32Array(4)

/**
 * One step of sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand): advances the state in place
 * and returns the next 32 random bits as a signed int. Small enough for V8 to inline into the loops that call it.
 */
function sfc32(s: Int32Array): number {
  const a = s[0]!
  const b = s[1]!
  const c = s[2]!
  const ctr = s[3]!
  const r = (((a + b) | 0) + ctr) | 0
  s[0] = b ^ (b >>> 9)
  s[1] = (c + (c << 3)) | 0
  s[2] = (((c << 21) | (c >>> 11)) + r) | 0
  s[3] = (ctr + 1) | 0
  return r
}

const round2 = (x: number): number => {
  const r = Math.round(x * 100) / 100
  return r < 0.01 ? 0.01 : r
}

/** Writes `count` bars of `symbol` ending at trading day `tEnd` into `out` from row `at`. */
function generate(seed: number, symbol: string, tEnd: number, count: number, out: Columns, at: number): void {
  if (count <= 0) return
  const table = normals()
  const shift = 32 - NORMAL_BITS
  const h = symbolHash(seed, symbol)
  const p1 = fmix32(h ^ 0x1b87_3593)
  const p2 = fmix32(p1 ^ 0xcc9e_2d51)
  const p3 = fmix32(p2 ^ 0x1b87_3593)
  const p4 = fmix32(p3 ^ 0xcc9e_2d51)
  const logBase = Math.log(5) + unit(p1) * Math.log(100) // 5 .. 500
  const sigma = 0.008 + 0.022 * unit(p2) // daily volatility 0.8% .. 3%
  const mu = (unit(p3) - 0.4) * 0.0008 // daily drift about -8% .. +12% a year
  const baseVolume = Math.exp(Math.log(5e4) + unit(p4) * Math.log(400)) // 50k .. 20M
  const coarseSd = sigma * Math.sqrt(K)

  const tFirst = tEnd - count + 1
  const jA = Math.floor((tFirst - 1) / K)
  const jB = Math.floor(tEnd / K)
  // AR(1) deviation D_j from the origin block up to jA (pins before the origin have D = 0).
  let dev = 0
  let j = ORIGIN_BLOCK
  const coarseNormal = (jj: number): number => table[fmix32(h ^ Math.imul(jj, 0x2c1b_3c6d) ^ 0x297a_2d39) >>> shift]!
  for (; j < jA; j++) dev = PHI * dev + coarseSd * coarseNormal(j)
  if (jA < ORIGIN_BLOCK) dev = 0
  let pin = mu * (jA * K - T_REF) + logBase + dev

  let prevClose = 0
  let row = at
  for (let jb = jA; jb <= jB; jb++) {
    const nextDev = jb < ORIGIN_BLOCK ? 0 : PHI * dev + coarseSd * coarseNormal(jb)
    const nextPin = mu * ((jb + 1) * K - T_REF) + logBase + nextDev
    // sfc32 seeded by (symbol hash, block), warmed up.
    rng[0] = fmix32(h ^ Math.imul(jb, 0x9e37_79b9))
    rng[1] = fmix32(rng[0] ^ 0x6a09_e667)
    rng[2] = fmix32(rng[1] ^ 0xbb67_ae85)
    rng[3] = 1
    for (let w = 0; w < 8; w++) sfc32(rng)
    let sum = 0
    scratch[0] = 0
    for (let k = 1; k <= K; k++) {
      sum += table[sfc32(rng) >>> shift]!
      scratch[k] = sum
    }
    const total = sum
    const slope = (nextPin - pin) / K
    const t0 = jb * K
    for (let k = 0; k < K; k++) {
      // Four draws per day, always taken, so a bar never depends on where the window starts.
      const zGap = table[sfc32(rng) >>> shift]!
      const zHigh = table[sfc32(rng) >>> shift]!
      const zLow = table[sfc32(rng) >>> shift]!
      const zVolume = table[sfc32(rng) >>> shift]!
      const t = t0 + k
      if (t < tFirst - 1 || t > tEnd) continue
      const close = Math.exp(pin + slope * k + sigma * (scratch[k]! - (k / K) * total))
      if (t >= tFirst) {
        const open = prevClose * (1 + 0.25 * sigma * zGap)
        const top = open > close ? open : close
        const bottom = open < close ? open : close
        const spreadHigh = 0.6 * sigma * (zHigh < 0 ? -zHigh : zHigh)
        const spreadLow = 0.6 * sigma * (zLow < 0 ? -zLow : zLow)
        const move = close > prevClose ? close / prevClose - 1 : prevClose / close - 1
        out.date[row] = dayOf(t)
        out.open[row] = round2(open)
        out.close[row] = round2(close)
        out.high[row] = round2(top * (1 + spreadHigh))
        out.low[row] = round2(bottom * (1 - (spreadLow > 0.5 ? 0.5 : spreadLow)))
        const v = Math.round(baseVolume * Math.exp(0.4 * zVolume) * (1 + (1.5 * move) / sigma))
        out.volume[row] = v < 1 ? 1 : v
        row++
      }
      prevClose = close
    }
    pin = nextPin
    dev = nextDev
  }
}

function checkDays(days: number): void {
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new TypeError(`Expected \`days\` to be an integer from 0 up, got \`${String(days)}\` (${typeof days})`)
  }
}

function checkEnd(endDate: number): number {
  if (!Number.isSafeInteger(endDate)) {
    throw new TypeError(
      `Expected \`endDate\` to be whole days since 1970-01-01, got \`${String(endDate)}\` (${typeof endDate})`,
    )
  }
  return tradingIndex(lastWeekday(endDate))
}

/**
 * One symbol's bars from the synthetic market: `days` weekdays ending at `endDate` (or the Friday before it). Equal
 * to that symbol's rows in {@link syntheticMarket} for the same seed, whatever the other symbols; a bar depends only
 * on (seed, symbol, day), so windows ending on different days agree where they overlap.
 *
 * @param seed - Market seed.
 * @param symbol - Symbol name.
 * @param days - Number of trading days.
 * @param endDate - Last calendar day as days since 1970-01-01. @default 20756 (2026-10-30)
 * @example
 * const { date, close } = syntheticBars(42, 'AAPL', 2)
 */
export function syntheticBars(
  seed: number,
  symbol: string,
  days: number,
  endDate: number = SYNTHETIC_END_DATE,
): SyntheticBars {
  checkDays(days)
  const tEnd = checkEnd(endDate)
  const out: SyntheticBars = {
    date: new Int32Array(days),
    open: new Float64Array(days),
    high: new Float64Array(days),
    low: new Float64Array(days),
    close: new Float64Array(days),
    volume: new Float64Array(days),
  }
  generate(seed, symbol, tEnd, days, out, 0)
  return out
}

/** The symbol names of a synthetic market of `count` symbols: `S0001`, `S0002`, …. */
export function syntheticSymbols(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new TypeError(`Expected \`symbols\` to be an integer from 0 up, got \`${String(count)}\` (${typeof count})`)
  }
  return Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(4, '0')}`)
}

/**
 * A deterministic synthetic market: every symbol's {@link syntheticBars}, sorted by (symbol name, date), the
 * dictionary in name order. Geometric random walk with per-symbol drift and volatility, weekdays only, prices in
 * cents, whole-share volumes. 10,000 symbols × 2,760 days generate in a few seconds.
 *
 * @param options - Seed, symbols, days, end date, shared buffers.
 * @example
 * const table = syntheticMarket({ symbols: 500, days: 2760 })
 */
export function syntheticMarket(options: SyntheticMarketOptions): ColumnTable {
  const seed = options.seed ?? 42
  const days = options.days
  checkDays(days)
  const tEnd = checkEnd(options.endDate ?? SYNTHETIC_END_DATE)
  const names = typeof options.symbols === 'number' ? syntheticSymbols(options.symbols) : [...options.symbols]
  names.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
  for (let i = 1; i < names.length; i++) {
    if (names[i] === names[i - 1])
      throw new TypeError(`Expected \`symbols\` to be distinct, got \`${names[i]!}\` twice`)
  }
  const table = createColumnTable(names.length * days, { shared: options.shared ?? false, symbols: names })
  for (let s = 0; s < names.length; s++) {
    table.symbol.fill(s, s * days, (s + 1) * days)
    generate(seed, names[s]!, tEnd, days, table, s * days)
  }
  return table
}
