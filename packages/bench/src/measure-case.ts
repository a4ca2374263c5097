import { PerformanceObserver, performance } from 'node:perf_hooks'
import { benny } from './_benny.ts'
import type { BenchmarkJs, BenchmarkSuiteJs } from './_benny.ts'
import { injectSlowdown, isThenable } from './inject.ts'
import type { RunConfig } from './types.ts'

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(`thrown non-error: ${String(e)}`)
}

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
}

/**
 * Measures `op` with benny: warm-up by the harness (at least one op), then one benny suite with the
 * case alone. Raw per-cycle samples are copied from benchmark.js when the benchmark completes,
 * before benny's summary sorts them in place. Async ops (returning a promise) are measured deferred;
 * a rejection or throw stops the measurement and is rethrown here.
 *
 * @param op - The timed operation (setup already done).
 * @param opts - Settings.
 * @returns Samples in measured order, window and GC/heap figures.
 */
export async function measureOp(op: () => unknown, opts: MeasureOptions): Promise<Measurement> {
  const { config } = opts
  const call = injectSlowdown(op, opts.injectFactor ?? 1)
  const gcEntries: { start: number; duration: number }[] = []
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcEntries.push({ start: e.startTime, duration: e.duration })
  })
  obs.observe({ entryTypes: ['gc'] })
  const heap0 = process.memoryUsage().heapUsed
  const t0 = performance.now()
  const startedAt = new Date()

  // Warm-up: the first call also tells whether the op is async.
  const first = call()
  const isAsync = isThenable(first)
  if (isAsync) await first
  const warmupEnd = performance.now() + config.warmup_ms
  while (performance.now() < warmupEnd) {
    const r = call()
    if (isAsync) await r
  }

  let failure: { error: unknown } | undefined
  let bench: BenchmarkJs | undefined
  let raw: number[] | undefined
  // benny calls the test factory and the op itself while preparing the case (to detect its
  // type): while `probing`, the op returns at once so user code runs only inside the timing.
  let probing = true
  const fail = (error: unknown): void => {
    failure ??= { error }
    bench?.abort()
  }
  // benchmark.js runs a sync test once untimed before each timed cycle (a "pretest" for early
  // returns, see `clock()` in benchmark.js 2.1.4). The harness catches errors itself, so the
  // pretest call is skipped: exactly one call per cycle, before the timed loop, which begins
  // right after the previous cycle's `cycle` event. A slow op (seconds) then costs one op per
  // sample instead of two.
  let pretestNext = true
  const syncOp = (): void => {
    if (probing || failure) return
    if (pretestNext) {
      pretestNext = false
      return
    }
    try {
      call()
    } catch (error) {
      fail(error)
    }
  }
  const asyncOp = (): Promise<void> => {
    if (probing || failure) return Promise.resolve()
    try {
      return Promise.resolve(call()).then(
        () => undefined,
        (error: unknown) => fail(error),
      )
    } catch (error) {
      fail(error)
      return Promise.resolve()
    }
  }
  const hook = (): Promise<(s: BenchmarkSuiteJs) => BenchmarkSuiteJs> =>
    Promise.resolve((s: BenchmarkSuiteJs) => {
      bench = s[0]
      if (!bench) throw new Error('bench: benny built no benchmark')
      const b = bench
      b.on('cycle', () => {
        pretestNext = true
      })
      b.on('complete', () => {
        raw = b.stats.sample.slice()
      })
      probing = false
      return s
    })
  const measureS = config.measurement_ms / 1000
  const opFactory = isAsync ? () => asyncOp : () => syncOp
  // benny logs `Running "x" suite...` to stdout; the harness owns the output.
  const log = console.log
  console.log = () => {}
  try {
    await benny.suite(
      opts.name ?? 'case',
      benny.add(opts.name ?? 'case', opFactory, {
        minSamples: config.min_samples,
        maxTime: measureS,
        // benchmark.js's default cycle floor (50 ms, 1% timer uncertainty), lowered for short test runs.
        minTime: Math.min(0.05, Math.max(measureS / 10, 0.001)),
        initCount: 1,
        delay: 0,
      }),
      hook,
    )
  } finally {
    console.log = log
  }
  const t1 = performance.now()
  const finishedAt = new Date()
  const heap1 = process.memoryUsage().heapUsed
  // GC entries are delivered asynchronously; let pending callbacks run, then take the rest.
  await new Promise((r) => setImmediate(r))
  for (const e of obs.takeRecords()) gcEntries.push({ start: e.startTime, duration: e.duration })
  obs.disconnect()

  if (failure) throw asError(failure.error)
  if (bench?.error !== undefined) throw asError(bench.error)
  if (!raw || raw.length === 0) throw new Error('bench: benny produced no samples (aborted or unclockable op)')
  const inWindow = gcEntries.filter((e) => e.start >= t0 && e.start <= t1)
  return {
    samples_ms: raw.map((s) => s * 1000),
    window: { started_at: startedAt.toISOString(), finished_at: finishedAt.toISOString() },
    heap_used_delta_bytes: heap1 - heap0,
    gc_count: inWindow.length,
    gc_ms: inWindow.reduce((a, e) => a + e.duration, 0),
    async: isAsync,
  }
}
