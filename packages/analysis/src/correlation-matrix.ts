import type { ColumnTable } from '@ttapi/columnar-io'
import { symbolRanges } from '@ttapi/columnar-io'
import { InvalidOptionError } from './errors.ts'
import type { CorrelationMatrixOptions, CorrelationMatrixResult } from './types.ts'

/**
 * Correlation matrix of daily simple returns across symbols, aligned by date (a row's return is its close over the
 * previous row's close, dated on the row). Pairwise-complete: each pair uses the dates on which both have a return.
 * Symbols with a return on every date take a fast path (standardise once, then blocked dot products); pairs involving
 * a shorter or gappy history are computed over their common dates, centred on each symbol's mean.
 * Correlations of fewer than `minPairs` paired returns, or of a flat series, are NaN.
 * @param table - sorted by (symbol, date)
 * @param options - symbols to include and the minimum pair count
 * @throws InvalidOptionError when a requested symbol is not in the table or `minPairs` is not an integer from 2 up
 */
export function correlationMatrix(table: ColumnTable, options: CorrelationMatrixOptions = {}): CorrelationMatrixResult {
  const minPairs = options.minPairs ?? 2
  if (!Number.isInteger(minPairs) || minPairs < 2) {
    throw new InvalidOptionError(
      `analysis: expected \`minPairs\` to be an integer from 2 up, got \`${String(minPairs)}\` (${typeof minPairs})`,
    )
  }
  const ranges = symbolRanges(table)
  let codes: number[]
  if (options.symbols === undefined) {
    codes = []
    for (let k = 0; k < ranges.codes.length; k++) codes.push(k)
  } else {
    const byName = new Map<string, number>()
    for (let k = 0; k < ranges.codes.length; k++) byName.set(table.symbols[ranges.codes[k]!]!, k)
    codes = options.symbols.map((s) => {
      const k = byName.get(s)
      if (k === undefined)
        throw new InvalidOptionError(`analysis: \`symbols\` names \`${s}\`, which has no rows in the table`)
      return k
    })
  }
  const n = codes.length
  const symbols = codes.map((k) => table.symbols[ranges.codes[k]!]!)
  const { date, close } = table

  // Date universe: every day on which some chosen symbol has a return.
  let minDate = Infinity
  let maxDate = -Infinity
  for (const k of codes) {
    const s = ranges.starts[k]!
    const e = ranges.ends[k]!
    if (e - s < 2) continue
    if (date[s + 1]! < minDate) minDate = date[s + 1]!
    if (date[e - 1]! > maxDate) maxDate = date[e - 1]!
  }
  const span = maxDate >= minDate ? maxDate - minDate + 1 : 0
  const column = new Int32Array(span).fill(-1)
  for (const k of codes) {
    for (let i = ranges.starts[k]! + 1; i < ranges.ends[k]!; i++) column[date[i]! - minDate] = 0
  }
  let t = 0
  for (let d = 0; d < span; d++) if (column[d] === 0) column[d] = t++
  const dates = t

  // Returns laid out symbol-major on the date grid; NaN where a symbol has no return.
  const r = new Float64Array(n * t).fill(NaN)
  for (let a = 0; a < n; a++) {
    const k = codes[a]!
    const base = a * t
    for (let i = ranges.starts[k]! + 1; i < ranges.ends[k]!; i++) {
      r[base + column[date[i]! - minDate]!] = close[i]! / close[i - 1]! - 1
    }
  }
  const result = correlationOfRows(r, n, t, minPairs)
  return { symbols, dates, ...result }
}

/**
 * The pairwise-complete correlation matrix of the rows of a row-major n x t matrix (NaN = missing).
 * Rows are centred in place on their own mean; complete rows are then scaled to unit norm.
 */
function correlationOfRows(
  r: Float64Array,
  n: number,
  t: number,
  minPairs: number,
): { matrix: Float64Array; pairs: Int32Array; completeSymbols: number } {
  const matrix = new Float64Array(n * n).fill(NaN)
  const pairs = new Int32Array(n * n)
  const counts = new Int32Array(n)
  const complete: number[] = []
  const partial: number[] = []
  const norms = new Float64Array(n)
  for (let a = 0; a < n; a++) {
    const base = a * t
    let c = 0
    let sum = 0
    for (let j = 0; j < t; j++) {
      const v = r[base + j]!
      if (v === v) {
        c++
        sum += v
      }
    }
    counts[a] = c
    const mean = sum / c
    let ss = 0
    for (let j = 0; j < t; j++) {
      const v = r[base + j]! - mean
      r[base + j] = v
      if (v === v) ss += v * v
    }
    norms[a] = Math.sqrt(ss)
    if (c === t) complete.push(a)
    else partial.push(a)
  }

  // Fast path: z = (r - mean) / ||r - mean||, then corr(a, b) = z_a . z_b, blocked 4 x 4 over 256-date panels.
  const m = complete.length
  if (m > 0 && t >= minPairs) {
    const z = new Float64Array(m * t)
    for (let p = 0; p < m; p++) {
      const a = complete[p]!
      const inv = 1 / norms[a]!
      for (let j = 0; j < t; j++) z[p * t + j] = r[a * t + j]! * inv
    }
    const dot = new Float64Array(m * m)
    gramBlocked(z, m, t, dot)
    for (let p = 0; p < m; p++) {
      const a = complete[p]!
      const flat = !(norms[a]! > 0)
      for (let q = p; q < m; q++) {
        const b = complete[q]!
        const v = flat || !(norms[b]! > 0) ? NaN : p === q ? 1 : Math.max(-1, Math.min(1, dot[p * m + q]!))
        matrix[a * n + b] = v
        matrix[b * n + a] = v
        pairs[a * n + b] = t
        pairs[b * n + a] = t
      }
    }
  }

  // Pairs with a partial history: sums over the common dates of the centred values.
  for (const a of partial) {
    for (let b = 0; b < n; b++) {
      if (b !== a && counts[b] === t) pairwise(r, a, b, t, n, minPairs, matrix, pairs)
    }
    for (const b of partial) if (b >= a) pairwise(r, a, b, t, n, minPairs, matrix, pairs)
  }
  return { matrix, pairs, completeSymbols: m }
}

function pairwise(
  r: Float64Array,
  a: number,
  b: number,
  t: number,
  n: number,
  minPairs: number,
  matrix: Float64Array,
  pairs: Int32Array,
): void {
  const ba = a * t
  const bb = b * t
  let c = 0
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (let j = 0; j < t; j++) {
    const x = r[ba + j]!
    const y = r[bb + j]!
    if (x !== x || y !== y) continue
    c++
    sx += x
    sy += y
    sxx += x * x
    syy += y * y
    sxy += x * y
  }
  const vx = sxx - (sx * sx) / c
  const vy = syy - (sy * sy) / c
  let v = NaN
  if (c >= minPairs && vx > 0 && vy > 0)
    v = a === b ? 1 : Math.max(-1, Math.min(1, (sxy - (sx * sy) / c) / Math.sqrt(vx * vy)))
  matrix[a * n + b] = v
  matrix[b * n + a] = v
  pairs[a * n + b] = c
  pairs[b * n + a] = c
}

// Upper triangle (and diagonal) of Z Z^T for row-major m x t Z, into out[p * m + q] for q >= p.
// 4 x 4 register blocks reuse each loaded value four times; 256-date panels keep the rows in L1/L2.
function gramBlocked(z: Float64Array, m: number, t: number, out: Float64Array): void {
  const panel = 256
  for (let t0 = 0; t0 < t; t0 += panel) {
    const t1 = Math.min(t, t0 + panel)
    for (let p = 0; p < m; p += 4) {
      const pe = Math.min(m, p + 4)
      for (let q = p; q < m; q += 4) {
        const qe = Math.min(m, q + 4)
        if (pe - p === 4 && qe - q === 4) block4x4(z, t, p, q, t0, t1, m, out)
        else {
          for (let i = p; i < pe; i++) {
            for (let k = q; k < qe; k++) {
              if (k < i) continue
              let s = 0
              const bi = i * t
              const bk = k * t
              for (let j = t0; j < t1; j++) s += z[bi + j]! * z[bk + j]!
              out[i * m + k] = out[i * m + k]! + s
            }
          }
        }
      }
    }
  }
}

// The blocked kernel, long on purpose: sixteen accumulators written out so they stay in registers (a loop over an
// array of them would go through memory on every row).
// eslint-disable-next-line max-lines-per-function -- the blocked kernel (see above)
function block4x4(
  z: Float64Array,
  t: number,
  p: number,
  q: number,
  t0: number,
  t1: number,
  m: number,
  out: Float64Array,
): void {
  const a0 = p * t
  const a1 = a0 + t
  const a2 = a1 + t
  const a3 = a2 + t
  const b0 = q * t
  const b1 = b0 + t
  const b2 = b1 + t
  const b3 = b2 + t
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0
  let s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0
  let s20 = 0,
    s21 = 0,
    s22 = 0,
    s23 = 0
  let s30 = 0,
    s31 = 0,
    s32 = 0,
    s33 = 0
  for (let j = t0; j < t1; j++) {
    const x0 = z[a0 + j]!
    const x1 = z[a1 + j]!
    const x2 = z[a2 + j]!
    const x3 = z[a3 + j]!
    const y0 = z[b0 + j]!
    const y1 = z[b1 + j]!
    const y2 = z[b2 + j]!
    const y3 = z[b3 + j]!
    s00 += x0 * y0
    s01 += x0 * y1
    s02 += x0 * y2
    s03 += x0 * y3
    s10 += x1 * y0
    s11 += x1 * y1
    s12 += x1 * y2
    s13 += x1 * y3
    s20 += x2 * y0
    s21 += x2 * y1
    s22 += x2 * y2
    s23 += x2 * y3
    s30 += x3 * y0
    s31 += x3 * y1
    s32 += x3 * y2
    s33 += x3 * y3
  }
  const o0 = p * m + q
  const o1 = o0 + m
  const o2 = o1 + m
  const o3 = o2 + m
  out[o0] = out[o0]! + s00
  out[o0 + 1] = out[o0 + 1]! + s01
  out[o0 + 2] = out[o0 + 2]! + s02
  out[o0 + 3] = out[o0 + 3]! + s03
  out[o1] = out[o1]! + s10
  out[o1 + 1] = out[o1 + 1]! + s11
  out[o1 + 2] = out[o1 + 2]! + s12
  out[o1 + 3] = out[o1 + 3]! + s13
  out[o2] = out[o2]! + s20
  out[o2 + 1] = out[o2 + 1]! + s21
  out[o2 + 2] = out[o2 + 2]! + s22
  out[o2 + 3] = out[o2 + 3]! + s23
  out[o3] = out[o3]! + s30
  out[o3 + 1] = out[o3 + 1]! + s31
  out[o3 + 2] = out[o3 + 2]! + s32
  out[o3 + 3] = out[o3 + 3]! + s33
}
