// benny has no usable typings here (it references @types/benchmark, not installed): this file
// loads it and describes only the parts of benny and benchmark.js 2.1.4 the harness touches.
import { createRequire } from 'node:module'

/** The benchmark.js `Benchmark` inside a benny suite (fields the harness reads). */
export interface BenchmarkJs {
  stats: { sample: number[] }
  aborted: boolean
  error?: unknown
  abort(): void
  on(type: 'complete' | 'cycle' | 'error' | 'abort', listener: () => void): void
}

/** The benchmark.js `Suite` benny builds; array-like over its benchmarks. */
export interface BenchmarkSuiteJs {
  [index: number]: BenchmarkJs | undefined
  /** Removes every listener of an event type (benny's `start` listener logs to stdout). */
  off(type: 'start'): BenchmarkSuiteJs
}

/** benchmark.js options benny forwards for a case. */
export interface BennyCaseOptions {
  minSamples: number
  maxTime: number
  minTime: number
  initCount: number
  delay: number
}

type Entry = (config: unknown) => Promise<(suite: BenchmarkSuiteJs) => BenchmarkSuiteJs>

/** The part of benny's API used. */
export interface Benny {
  suite(name: string, ...entries: Entry[]): Promise<unknown>
  add(name: string, test: () => unknown, options?: Partial<BennyCaseOptions>): Entry
}

const require = createRequire(import.meta.url)

/** benny's CommonJS module. */
export const benny = require('benny') as Benny
