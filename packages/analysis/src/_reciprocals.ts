// 1/k for k = 0..n, shared and grown on demand, so running means multiply instead of dividing in their loops.
let table = new Float64Array(0)

/** A table t with t[k] = 1 / k for every k <= n (t[0] = Infinity). */
export function reciprocals(n: number): Float64Array {
  if (table.length > n) return table
  const next = new Float64Array(Math.max(n + 1, table.length * 2, 1024))
  for (let k = 0; k < next.length; k++) next[k] = 1 / k
  table = next
  return table
}
