// The quote server's own rate limit.
import { performance } from 'node:perf_hooks'

/** A token bucket: `burst` requests at once, refilled at `requestsPerSecond`. */
export class TokenBucket {
  readonly #rate: number
  readonly #burst: number
  #tokens: number
  #at = performance.now()

  /**
   * @param requestsPerSecond - refill rate; 0 lets every request through
   * @param burst - capacity (the bucket starts full)
   */
  constructor(requestsPerSecond: number, burst: number) {
    this.#rate = requestsPerSecond
    this.#burst = burst
    this.#tokens = burst
  }

  /** Takes a token: null when one was there, else the seconds until the next one. */
  take(): number | null {
    if (this.#rate === 0) return null
    const now = performance.now()
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) * this.#rate) / 1000)
    this.#at = now
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return null
    }
    return (1 - this.#tokens) / this.#rate
  }
}
