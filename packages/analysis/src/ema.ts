/**
 * Exponential moving average with smoothing alpha = 2 / (span + 1), seeded with the first non-NaN value
 * (pandas `ewm(span, adjust=False)`): e[i] = e[i-1] + alpha (x[i] - e[i-1]). A NaN input gives NaN at that row and
 * leaves the average unchanged for the next row.
 * @param x - values of one symbol
 * @param span - the span (12 and 26 for MACD), a number from 1 up (anything else fills NaN)
 * @param out - receives `end - start` values
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default x.length
 * @param outStart - index in `out` of the first value @default start
 * @returns the last average (NaN when no value was seen)
 */
export function ema(
  x: Float64Array,
  span: number,
  out: Float64Array,
  start = 0,
  end: number = x.length,
  outStart: number = start,
): number {
  const shift = outStart - start
  if (!(span >= 1)) {
    out.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  const alpha = 2 / (span + 1)
  let e = NaN
  for (let i = start; i < end; i++) {
    const v = x[i]!
    if (v !== v) {
      out[i + shift] = NaN
      continue
    }
    e = e === e ? e + alpha * (v - e) : v
    out[i + shift] = e
  }
  return e
}
