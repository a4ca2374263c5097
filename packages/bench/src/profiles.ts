import { BenchUsageError } from './errors.ts'
import type { Profile, RunConfig } from './types.ts'

/** Measurement settings of each profile. */
export const PROFILES: Readonly<Record<Profile, RunConfig>> = {
  quick: { engine: 'benny', warmup_ms: 300, measurement_ms: 1500, min_samples: 5, profile: 'quick' },
  full: { engine: 'benny', warmup_ms: 3000, measurement_ms: 10_000, min_samples: 100, profile: 'full' },
}

/** Overrides read from the environment (for tests and quick experiments). */
export interface ConfigOverrides {
  /** Replaces the profile's measurement time (env `BENCH_MEASURE_MS`). */
  measurementMs?: number | undefined
  /** Replaces the profile's warm-up time (env `BENCH_WARMUP_MS`). */
  warmupMs?: number | undefined
}

function envMs(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const raw = env[key]
  if (raw === undefined || raw === '') return undefined
  const v = Number(raw)
  if (!Number.isFinite(v) || v < 0)
    throw new BenchUsageError(`bench: Expected \`${key}\` to be a number of ms >= 0, got \`${raw}\``)
  return v
}

/**
 * Reads `BENCH_MEASURE_MS` / `BENCH_WARMUP_MS`.
 *
 * @param env - Environment to read.
 * @returns The overrides present.
 */
export function overridesFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  return { measurementMs: envMs(env, 'BENCH_MEASURE_MS'), warmupMs: envMs(env, 'BENCH_WARMUP_MS') }
}

/**
 * Parses a profile name.
 *
 * @param raw - `quick` or `full`.
 * @returns The profile.
 * @throws BenchUsageError for anything else.
 */
export function parseProfile(raw: string): Profile {
  if (raw === 'quick' || raw === 'full') return raw
  throw new BenchUsageError(`bench: Expected profile \`quick\` or \`full\`, got \`${raw}\``)
}

/**
 * The settings one case is measured with: the profile's, env overrides applied, then the case's
 * `minSamples` and `maxTimeMs` (which caps both warm-up and measurement).
 *
 * @param profile - The run's profile.
 * @param overrides - Env overrides.
 * @param c - The case's own limits.
 * @returns The effective config, as recorded (and fingerprinted) for the case.
 */
export function caseConfig(
  profile: Profile,
  overrides: ConfigOverrides,
  c: { minSamples?: number | undefined; maxTimeMs?: number | undefined },
): RunConfig {
  const base = PROFILES[profile]
  let measurement = overrides.measurementMs ?? base.measurement_ms
  let warmup = overrides.warmupMs ?? base.warmup_ms
  if (c.maxTimeMs !== undefined) {
    measurement = Math.min(measurement, c.maxTimeMs)
    warmup = Math.min(warmup, c.maxTimeMs)
  }
  return { ...base, warmup_ms: warmup, measurement_ms: measurement, min_samples: c.minSamples ?? base.min_samples }
}

/**
 * Fresh processes per case by profile, when neither `--processes` nor `BENCH_PROCESSES` says.
 * Chosen from `report calibrate` on the 2-core VMs: see the README's "Processes" section.
 */
export const DEFAULT_PROCESSES: Readonly<Record<Profile, number>> = { quick: 2, full: 3 }

/**
 * The processes per case of a run: the flag, else `BENCH_PROCESSES`, else the profile's default.
 *
 * @param profile - The run's profile.
 * @param flag - `--processes`, when given.
 * @param env - Environment holding `BENCH_PROCESSES`.
 * @returns An integer from 1 to 50.
 * @throws BenchUsageError for anything else.
 */
export function processesFor(profile: Profile, flag: number | undefined, env: NodeJS.ProcessEnv): number {
  const raw = env['BENCH_PROCESSES']
  const fromEnv = raw === undefined || raw === '' ? undefined : Number(raw)
  const k = flag ?? fromEnv ?? DEFAULT_PROCESSES[profile]
  if (!(Number.isInteger(k) && k >= 1 && k <= 50))
    throw new BenchUsageError(
      `bench: Expected ${flag !== undefined ? '`--processes`' : '`BENCH_PROCESSES`'} to be an integer from 1 to 50, got \`${String(flag ?? raw)}\``,
    )
  return k
}
