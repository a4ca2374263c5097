/**
 * Simple returns `close[i] / close[i-1] - 1` over the rows `[start, end)` of one symbol, written to
 * `out[outStart + (i - start)]`. The first row has no return (NaN); a NaN price makes both returns that touch it NaN.
 * Rows are consecutive trading rows: across a missing day the return spans the gap.
 * @param close - prices
 * @param out - receives `end - start` returns
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param outStart - index in `out` of the first return @default start
 * @returns how many returns are not NaN
 * @example simpleReturns(Float64Array.of(100, 110, 99), out) // out = [NaN, 0.1, -0.1], returns 2
 */
export function simpleReturns(
  close: Float64Array,
  out: Float64Array,
  start = 0,
  end: number = close.length,
  outStart: number = start,
): number {
  if (end <= start) return 0
  let prev = close[start]!
  out[outStart] = NaN
  let count = 0
  const shift = outStart - start
  for (let i = start + 1; i < end; i++) {
    const c = close[i]!
    const r = c / prev - 1
    out[i + shift] = r
    if (r === r) count++
    prev = c
  }
  return count
}

/**
 * Log returns `ln(close[i] / close[i-1])`, laid out and NaN-propagated like {@link simpleReturns}.
 * Prices are assumed positive: a zero or negative price gives -Infinity or NaN.
 * @param close - prices
 * @param out - receives `end - start` log returns
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param outStart - index in `out` of the first return @default start
 * @returns how many log returns are not NaN
 */
export function logReturns(
  close: Float64Array,
  out: Float64Array,
  start = 0,
  end: number = close.length,
  outStart: number = start,
): number {
  if (end <= start) return 0
  let prev = close[start]!
  out[outStart] = NaN
  let count = 0
  const shift = outStart - start
  for (let i = start + 1; i < end; i++) {
    const c = close[i]!
    const r = Math.log(c / prev)
    out[i + shift] = r
    if (r === r) count++
    prev = c
  }
  return count
}
