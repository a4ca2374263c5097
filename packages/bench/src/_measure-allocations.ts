import { GCProfiler, getHeapStatistics } from 'node:v8'

/** Settings of {@link measureAllocations}. */
export interface AllocationPassOptions {
  /** Whether the op returns a promise (each call is awaited). */
  async: boolean
  /** The op's typical duration, ms (the timed samples' median), to size the pass. */
  opMs: number
  /** Time the pass may take, ms; it makes at least one call whatever the op costs. */
  budgetMs: number
}

/** Bytes a pass of calls allocated on the V8 heap. */
export interface AllocationPass {
  /** Calls made. */
  calls: number
  /** V8 heap bytes allocated over them. */
  bytes: number
}

/**
 * Runs the warmed-up op `calls` times in a bare loop (no timer, no benchmark.js: nothing of the
 * harness allocates per sync call) while `v8.GCProfiler` takes the heap's statistics before and
 * after every collection. Bytes allocated are the growth of `used_heap_size` between collections:
 * from the start to the first collection's "before", from each "after" to the next "before", and
 * from the last "after" to the end. ArrayBuffer backing stores live outside the V8 heap and are not
 * counted. An async op's calls are awaited, and the await's own promise reactions count with the op.
 *
 * @param call - The op (already warmed up and measured).
 * @param o - Sync/async and how long the pass may take.
 * @returns Calls made and bytes allocated; a throw or rejection of the op propagates.
 */
export async function measureAllocations(call: () => unknown, o: AllocationPassOptions): Promise<AllocationPass> {
  const calls = Math.max(1, Math.min(1_000_000, Math.floor(o.budgetMs / Math.max(o.opMs, 1e-6))))
  const profiler = new GCProfiler()
  const used0 = getHeapStatistics().used_heap_size
  profiler.start()
  let used1: number
  let gcs: ReturnType<GCProfiler['stop']>['statistics']
  try {
    if (o.async) for (let i = 0; i < calls; i++) await call()
    else for (let i = 0; i < calls; i++) call()
  } finally {
    used1 = getHeapStatistics().used_heap_size
    gcs = profiler.stop().statistics
  }
  let bytes = 0
  let from = used0
  for (const gc of gcs) {
    bytes += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - from)
    from = gc.afterGC.heapStatistics.usedHeapSize
  }
  bytes += Math.max(0, used1 - from)
  return { calls, bytes }
}
