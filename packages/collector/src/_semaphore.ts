/** A counting semaphore whose waiters can give up when a signal aborts. */
export class Semaphore {
  #free: number
  readonly #waiters: (() => void)[] = []

  constructor(permits: number) {
    this.#free = permits
  }

  /** Resolves true once a permit is held, or false when `signal` aborts first (no permit held then). */
  acquire(signal?: AbortSignal): Promise<boolean> | boolean {
    if (this.#free > 0) {
      this.#free--
      return true
    }
    if (signal?.aborted) return false
    return new Promise<boolean>((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve(true)
      }
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(grant)
        if (i >= 0) this.#waiters.splice(i, 1)
        resolve(false)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(grant)
    })
  }

  /** Returns a permit, handing it straight to the oldest waiter when there is one. */
  release(): void {
    const next = this.#waiters.shift()
    if (next) next()
    else this.#free++
  }
}
