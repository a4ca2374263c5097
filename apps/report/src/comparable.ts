import { BUSY_OTHER_CPU_CORES } from '@ttapi/bench'
import type { BenchRecord } from '@ttapi/bench'
import type { NotJudgedWhy, Run } from './types.ts'

/**
 * The measurement configuration of a record as far as comparing it goes: the profile and its
 * settings after per-case overrides, and the work one op does (items and bytes per op: the
 * dataset size). Two records with different keys measured different things.
 * @example configKey(record) // '["benny",300,1500,5,"quick",1380000,null]'
 */
export function configKey(r: Pick<BenchRecord, 'config' | 'items_per_op' | 'bytes_per_op'>): string {
  const c = r.config
  return JSON.stringify([
    c.engine,
    c.warmup_ms,
    c.measurement_ms,
    c.min_samples,
    c.profile,
    r.items_per_op,
    r.bytes_per_op,
  ])
}

/** Whether a record was measured while other processes took more than {@link BUSY_OTHER_CPU_CORES} of the CPU. */
export function isBusy(r: Pick<BenchRecord, 'host'>): boolean {
  return r.host.other_cpu_cores !== null && r.host.other_cpu_cores > BUSY_OTHER_CPU_CORES
}

/**
 * Why two records of one case cannot be judged against each other by default, or null when they can.
 * Other machine first (nothing else matters then), then other configuration, then a busy machine.
 */
export function notComparable(
  baseline: BenchRecord,
  current: BenchRecord,
  options: { crossMachine?: boolean; judgeBusy?: boolean } = {},
): NotJudgedWhy | null {
  if (baseline.machine.id !== current.machine.id && options.crossMachine !== true) return 'other_machine'
  if (configKey(baseline) !== configKey(current)) return 'other_config'
  if ((isBusy(baseline) || isBusy(current)) && options.judgeBusy !== true) return 'busy'
  return null
}

const compiled = new Map<string, RegExp | null>()

/**
 * Whether a run's selection covered a case: one of its invocations planned the case's package and
 * its filter (if any) matches `suite/case`. A case the run did not cover is "not run", not "removed".
 * @param run - The run.
 * @param c - The case.
 */
export function covers(run: Run, c: { package: string; suite: string; case: string }): boolean {
  const name = `${c.suite}/${c.case}`
  return run.selections.some((s) => {
    if (!s.packages.includes(c.package)) return false
    if (s.filter === null) return true
    let re = compiled.get(s.filter)
    if (re === undefined) {
      try {
        re = new RegExp(s.filter)
      } catch {
        re = null
      }
      compiled.set(s.filter, re)
    }
    return re !== null && re.test(name)
  })
}
