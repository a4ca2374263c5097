// Two-tailed Student t critical values for 95% confidence by degrees of freedom, copied from
// benchmark.js 2.1.4 (`tTable`), so `rme_pct` matches benchmark.js's `stats.rme` exactly.
const T_TABLE: readonly number[] = [
  Number.NaN,
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
]
const T_INFINITY = 1.96

/** Critical t value for `df` degrees of freedom as benchmark.js picks it (df 0 uses df 1; above 30 uses 1.96). */
export function tCritical(df: number): number {
  const d = Math.round(df) || 1
  return T_TABLE[d] ?? T_INFINITY
}
