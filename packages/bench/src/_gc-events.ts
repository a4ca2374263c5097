import { PerformanceObserver, performance } from 'node:perf_hooks'

/** GC events of a window: how many, and their summed duration. */
export interface GcEvents {
  /** Collections that started inside the window. */
  count: number
  /** Their summed duration, ms. */
  ms: number
}

/** A running watch; `stop()` ends it once. */
export interface GcEventWatch {
  /** Ends the window (after pending observer callbacks ran) and sums its GC events. */
  stop(): Promise<GcEvents>
}

/**
 * Watches `PerformanceObserver('gc')` entries from now until `stop()`.
 *
 * @returns The watch.
 */
export function watchGcEvents(): GcEventWatch {
  const entries: { start: number; duration: number }[] = []
  const take = (list: { getEntries(): { startTime: number; duration: number }[] }): void => {
    for (const e of list.getEntries()) entries.push({ start: e.startTime, duration: e.duration })
  }
  const obs = new PerformanceObserver(take)
  obs.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  return {
    async stop(): Promise<GcEvents> {
      const t1 = performance.now()
      // GC entries are delivered asynchronously; let pending callbacks run, then take the rest.
      await new Promise((r) => setImmediate(r))
      take({ getEntries: () => obs.takeRecords() })
      obs.disconnect()
      const inWindow = entries.filter((e) => e.start >= t0 && e.start <= t1)
      return { count: inWindow.length, ms: inWindow.reduce((a, e) => a + e.duration, 0) }
    },
  }
}
