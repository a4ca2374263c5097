/**
 * The `p`-quantile of samples sorted ascending, by linear interpolation between closest ranks:
 * `h = (n - 1) * p`, result `x[floor(h)] + (h - floor(h)) * (x[ceil(h)] - x[floor(h)])`.
 * This is DuckDB's `quantile_cont` (and R type 7, NumPy `linear`), so harness and report agree.
 *
 * @param sortedAscending - Samples sorted ascending (not checked, for speed; not modified).
 * @param p - Quantile in [0, 1].
 * @returns The interpolated quantile; `NaN` for an empty array.
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(sortedAscending: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: Expected \`p\` in [0, 1], got \`${String(p)}\``)
  const n = sortedAscending.length
  if (n === 0) return Number.NaN
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  const a = sortedAscending[lo]!
  const b = sortedAscending[hi]!
  return a + (h - lo) * (b - a)
}
