import { BenchUsageError } from './errors.ts'

/** One `BENCH_INJECT` entry: slow the matching case's op by `factor`. */
export interface InjectRule {
  /** `suite` when given as `suite/case`, else null (any suite). */
  suite: string | null
  /** Case name, or `*` for every case. */
  case: string
  /** Slow-down factor, above or equal to 1. */
  factor: number
}

/**
 * Parses `BENCH_INJECT`: a comma-separated list of `case:factor` or `suite/case:factor`; a case of
 * `*` matches every case (of the suite, when one is named).
 *
 * @param raw - The variable's value (undefined or empty means no rules).
 * @returns The rules.
 * @throws BenchUsageError naming the bad entry.
 * @example parseInject('harness/cpu_fixed:1.15,empty:2')
 */
export function parseInject(raw: string | undefined): InjectRule[] {
  if (raw === undefined || raw.trim() === '') return []
  return raw.split(',').map((part) => {
    const m = /^\s*(?:([a-z0-9_]+)\/)?([a-z0-9_]+|\*):([0-9.]+)\s*$/.exec(part)
    const factor = m ? Number(m[3]) : Number.NaN
    if (!m || !Number.isFinite(factor) || factor < 1) {
      throw new BenchUsageError(
        `bench: Expected BENCH_INJECT entries like \`suite/case:1.15\` (factor >= 1), got \`${part}\``,
      )
    }
    return { suite: m[1] ?? null, case: m[2]!, factor }
  })
}

/**
 * The slow-down factor for a case (the last matching rule wins), or 1.
 *
 * @param rules - Parsed rules.
 * @param suite - Suite name.
 * @param caseName - Case name.
 * @returns The factor, 1 when no rule matches.
 */
export function injectFactor(rules: readonly InjectRule[], suite: string, caseName: string): number {
  let f = 1
  for (const r of rules)
    if ((r.case === caseName || r.case === '*') && (r.suite === null || r.suite === suite)) f = r.factor
  return f
}

function spinNs(ns: bigint): void {
  const end = process.hrtime.bigint() + ns
  while (process.hrtime.bigint() < end) {
    // busy-wait: a sleep would free the CPU and not look like slower code
  }
}

/**
 * Wraps an op so each call takes `factor` times its own duration: after the op (or its promise)
 * finishes, it busy-waits `(factor - 1)` x the op's measured elapsed time.
 *
 * @param op - The operation.
 * @param factor - At least 1; 1 returns `op` unchanged.
 * @returns The slowed operation.
 */
export function injectSlowdown(op: () => unknown, factor: number): () => unknown {
  if (factor === 1) return op
  const extra = factor - 1
  return () => {
    const t0 = process.hrtime.bigint()
    const r = op()
    if (isThenable(r)) {
      return Promise.resolve(r).then((v) => {
        spinNs(BigInt(Math.round(Number(process.hrtime.bigint() - t0) * extra)))
        return v
      })
    }
    spinNs(BigInt(Math.round(Number(process.hrtime.bigint() - t0) * extra)))
    return r
  }
}

/** True when `v` has a callable `then` (a promise or promise-like). */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  )
}
