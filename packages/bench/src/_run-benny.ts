// One benny suite over one op, driven through an explicit state (tinybench's task.ts is the model).
import { benny } from './_benny.ts'
import type { BenchmarkJs, BenchmarkSuiteJs } from './_benny.ts'

/** What a benny run of one op yields: the raw samples, or the op's first error. */
export type BennyRun = { state: 'ok'; samplesMs: number[] } | { state: 'failed'; error: Error }

/** Settings of {@link runBenny}. */
export interface BennyRunOptions {
  /** Case name given to benny. */
  name: string
  /** Whether the op returns a promise (measured deferred). */
  async: boolean
  /** benchmark.js `minSamples`. */
  minSamples: number
  /** Measurement time, ms (benchmark.js `maxTime`). */
  measurementMs: number
}

/** Where the run stands; the op wrappers and the benchmark.js listeners read and write only this. */
interface RunState {
  /**
   * `probing` while benny calls the test factory and the op to detect its type (the op returns at
   * once, so user code runs only inside the timing); `timing` from the suite's start; `failed` after
   * the op threw or rejected (further calls return at once and the benchmark is aborted).
   */
  phase: 'probing' | 'timing' | 'failed'
  /** The op's first error. */
  error: unknown
  /** The next sync call is benchmark.js's untimed pretest (see {@link runBenny}). */
  pretestNext: boolean
  /** The case's benchmark.js `Benchmark`, once benny built it. */
  bench: BenchmarkJs | undefined
  /** `stats.sample` copied at `complete`, before benny sorts it in place. */
  samples: number[] | undefined
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(`thrown non-error: ${String(e)}`)
}

function fail(s: RunState, error: unknown): void {
  if (s.phase !== 'failed') {
    s.phase = 'failed'
    s.error = error
  }
  s.bench?.abort()
}

/**
 * benchmark.js runs a sync test once untimed before each timed cycle (a "pretest" for early
 * returns, see `clock()` in benchmark.js 2.1.4). The harness catches errors itself, so the pretest
 * call is skipped: exactly one call per cycle, before the timed loop, which begins right after the
 * previous cycle's `cycle` event. A slow op (seconds) then costs one op per sample instead of two.
 */
function syncWrapper(s: RunState, call: () => unknown): () => void {
  return () => {
    if (s.phase !== 'timing') return
    if (s.pretestNext) {
      s.pretestNext = false
      return
    }
    try {
      call()
    } catch (error) {
      fail(s, error)
    }
  }
}

function asyncWrapper(s: RunState, call: () => unknown): () => Promise<void> {
  return () => {
    if (s.phase !== 'timing') return Promise.resolve()
    try {
      return Promise.resolve(call()).then(
        () => undefined,
        (error: unknown) => fail(s, error),
      )
    } catch (error) {
      fail(s, error)
      return Promise.resolve()
    }
  }
}

/** The suite entry that reaches benchmark.js: listeners on the case's `Benchmark`, benny's stdout line removed. */
function attach(s: RunState): () => Promise<(suite: BenchmarkSuiteJs) => BenchmarkSuiteJs> {
  return () =>
    Promise.resolve((suite: BenchmarkSuiteJs) => {
      const bench = suite[0]
      if (!bench) throw new Error('bench: benny built no benchmark')
      s.bench = bench
      bench.on('cycle', () => {
        s.pretestNext = true
      })
      bench.on('complete', () => {
        s.samples = bench.stats.sample.slice()
      })
      // benny logs `Running "x" suite...` on the suite's start; the harness owns the output.
      suite.off('start')
      s.phase = 'timing'
      return suite
    })
}

/**
 * Runs `call` in one benny suite holding it alone, and copies the raw per-cycle samples (seconds
 * per op, in measured order) when the benchmark completes. Never throws for the op's own errors:
 * they come back as `{ state: 'failed' }`.
 *
 * @param call - The op (already warmed up).
 * @param o - Name, sync/async and sampling settings.
 * @returns Samples in ms per op, or the failure.
 */
export async function runBenny(call: () => unknown, o: BennyRunOptions): Promise<BennyRun> {
  const s: RunState = {
    phase: 'probing',
    error: undefined,
    pretestNext: true,
    bench: undefined,
    samples: undefined,
  }
  const op = o.async ? asyncWrapper(s, call) : syncWrapper(s, call)
  const maxTime = o.measurementMs / 1000
  await benny.suite(
    o.name,
    benny.add(o.name, () => op, {
      minSamples: o.minSamples,
      maxTime,
      // benchmark.js's default cycle floor (50 ms, 1% timer uncertainty), lowered for short test runs.
      minTime: Math.min(0.05, Math.max(maxTime / 10, 0.001)),
      initCount: 1,
      delay: 0,
    }),
    attach(s),
  )
  if (s.phase === 'failed') return { state: 'failed', error: asError(s.error) }
  if (s.bench?.error !== undefined) return { state: 'failed', error: asError(s.bench.error) }
  if (!s.samples || s.samples.length === 0)
    return { state: 'failed', error: new Error('bench: benny produced no samples (aborted or unclockable op)') }
  return { state: 'ok', samplesMs: s.samples.map((x) => x * 1000) }
}
