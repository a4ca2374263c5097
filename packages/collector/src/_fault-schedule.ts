// Which fault, if any, a request gets: scripted first, then drawn from the rates.
import { hash01 } from './_hash.ts'
import type { FaultKind } from './types.ts'

/**
 * Decides faults per request from (seed, request key, n-th request for that key), so a run is reproducible
 * whatever the interleaving of its requests; a `faultPlan` entry scripts a key's first requests exactly.
 */
export class FaultSchedule {
  readonly #seed: number
  readonly #rates: readonly (readonly [FaultKind, number])[]
  readonly #anyRate: boolean
  readonly #plan: ReadonlyMap<string, readonly (FaultKind | null)[]>
  readonly #seen = new Map<string, number>()

  /**
   * @param seed - seed of the draws
   * @param rates - fault kinds with their rates, tried in order
   * @param plan - scripted faults per request key
   */
  constructor(
    seed: number,
    rates: readonly (readonly [FaultKind, number])[],
    plan: ReadonlyMap<string, readonly (FaultKind | null)[]>,
  ) {
    this.#seed = seed
    this.#rates = rates
    this.#anyRate = rates.some(([, r]) => r > 0)
    this.#plan = plan
  }

  /**
   * The fault of the next request with this key, or null for a normal answer.
   * @param key - the request key (a symbol, a symbol list, a path)
   */
  next(key: string): FaultKind | null {
    if (!this.#anyRate && this.#plan.size === 0) return null
    const n = this.#seen.get(key) ?? 0
    this.#seen.set(key, n + 1)
    const scripted = this.#plan.get(key)
    if (scripted !== undefined && n < scripted.length) return scripted[n]!
    if (!this.#anyRate) return null
    let u = hash01(this.#seed, key, n)
    for (const [kind, rate] of this.#rates) {
      if (u < rate) return kind
      u -= rate
    }
    return null
  }
}
