import { performance } from 'node:perf_hooks'
import { watchGcEvents } from './_gc-events.ts'
import { measureAllocations } from './_measure-allocations.ts'
import { runBenny } from './_run-benny.ts'
import type { BennyRun } from './_run-benny.ts'
import { injectSlowdown, isThenable } from './inject.ts'
import { quantile } from './quantile.ts'
import type { RunConfig } from './types.ts'

/** What measuring one case yields (before the parent turns it into a record). */
export interface Measurement {
  /** Milliseconds per op of each benchmark.js cycle, in the order measured. */
  samples_ms: number[]
  /** When warm-up began and measurement ended (ISO-8601 UTC). */
  window: { started_at: string; finished_at: string }
  /** heapUsed after measurement minus before warm-up, bytes. */
  heap_used_delta_bytes: number
  /** GC events during warm-up and measurement. */
  gc_count: number
  /** Their summed duration, ms. */
  gc_ms: number
  /** V8 heap bytes allocated per op, from a pass after the measurement (`measureAllocations`); null when turned off. */
  alloc_bytes_per_op: number | null
  /** Whether the op returned a promise (measured deferred). */
  async: boolean
}

/** Options of {@link measureOp}. */
export interface MeasureOptions {
  /** Warm-up, measurement and min-samples settings. */
  config: RunConfig
  /** Slow-down factor from `BENCH_INJECT`. @default 1 */
  injectFactor?: number
  /** Name given to benny. @default 'case' */
  name?: string
  /** Measure allocations per op after the timed cycles (`BENCH_ALLOC=0` turns it off in a run). @default true */
  allocations?: boolean
}

/** Share of the measurement time the allocation pass may take (it makes at least one call). */
const ALLOCATION_PASS_SHARE = 0.1

/** Runs the op for `warmupMs` (at least once); the first call tells whether it is async. */
async function warmUp(call: () => unknown, warmupMs: number): Promise<boolean> {
  const first = call()
  const isAsync = isThenable(first)
  if (isAsync) await first
  const end = performance.now() + warmupMs
  while (performance.now() < end) {
    const r = call()
    if (isAsync) await r
  }
  return isAsync
}

/** Warm-up, then the timed benny cycles. */
async function warmUpAndTime(
  call: () => unknown,
  config: RunConfig,
  name: string,
): Promise<{ isAsync: boolean; run: BennyRun }> {
  const isAsync = await warmUp(call, config.warmup_ms)
  const run = await runBenny(call, {
    name,
    async: isAsync,
    minSamples: config.min_samples,
    measurementMs: config.measurement_ms,
  })
  return { isAsync, run }
}

/**
 * Measures `op`: warm-up by the harness (at least one op), then one benny suite with the case alone
 * (`runBenny`: raw per-cycle samples in measured order), then, outside the timing, a short pass of
 * bare calls that counts the V8 heap bytes one op allocates. A rejection or throw of the op stops
 * the measurement and is rethrown here.
 *
 * @param op - The timed operation (setup already done).
 * @param opts - Settings.
 * @returns Samples in measured order, window, GC, heap and allocation figures.
 */
export async function measureOp(op: () => unknown, opts: MeasureOptions): Promise<Measurement> {
  const { config } = opts
  const call = injectSlowdown(op, opts.injectFactor ?? 1)
  const gc = watchGcEvents()
  const heap0 = process.memoryUsage().heapUsed
  const startedAt = new Date()
  let timed: { isAsync: boolean; run: BennyRun }
  try {
    timed = await warmUpAndTime(call, config, opts.name ?? 'case')
  } catch (error) {
    await gc.stop()
    throw error
  }
  const finishedAt = new Date()
  const heap1 = process.memoryUsage().heapUsed
  const gcEvents = await gc.stop()
  const { isAsync, run } = timed
  if (run.state === 'failed') throw run.error
  let alloc: number | null = null
  if (opts.allocations ?? true) {
    const opMs = quantile(Float64Array.from(run.samplesMs).sort(), 0.5)
    // The op itself, without BENCH_INJECT's spin-wait (whose timer reads allocate): allocations are the op's.
    const pass = await measureAllocations(op, {
      async: isAsync,
      opMs,
      budgetMs: config.measurement_ms * ALLOCATION_PASS_SHARE,
    })
    alloc = pass.bytes / pass.calls
  }
  return {
    samples_ms: run.samplesMs,
    window: { started_at: startedAt.toISOString(), finished_at: finishedAt.toISOString() },
    heap_used_delta_bytes: heap1 - heap0,
    gc_count: gcEvents.count,
    gc_ms: gcEvents.ms,
    alloc_bytes_per_op: alloc,
    async: isAsync,
  }
}
