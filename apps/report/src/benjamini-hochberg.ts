/**
 * Benjamini-Hochberg adjusted p-values (q-values): q(i) = min over j >= i of p(j) * m / j on the
 * ascending order, capped at 1 (as R `p.adjust(method = "BH")`). A case is significant at false
 * discovery rate alpha when its q-value is <= alpha.
 * @param pValues - one p-value per test, any order.
 * @returns q-values in the input order.
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length
  const order = pValues.map((_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!)
  const q = new Array<number>(m)
  let running = 1
  for (let k = m - 1; k >= 0; k--) {
    const index = order[k]!
    running = Math.min(running, (pValues[index]! * m) / (k + 1))
    q[index] = running
  }
  return q
}
