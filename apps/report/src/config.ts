import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from './errors.ts'
import type { GateMetric, ReportConfig, Thresholds, TimeMetric } from './types.ts'

/** File name of the report config at the workspace root. */
export const CONFIG_FILE = 'ttapi.report.json'

/** The defaults: gate on p95 at +10% (allocations not gated), alpha 0.05, 2,000 resamples, seed 1, baseline label `main`, 5 compare rounds. */
export const DEFAULT_CONFIG: ReportConfig = Object.freeze({
  thresholds: Object.freeze({ p50: null, p95: 10, alloc: null }),
  packages: Object.freeze({}),
  alpha: 0.05,
  resamples: 2000,
  seed: 1,
  baselineLabel: 'main',
  compareRounds: 5,
})

const METRICS: readonly GateMetric[] = ['p50', 'p95', 'alloc']
/** The time metrics: at least one of them must be gated. */
const TIME_METRICS: readonly TimeMetric[] = ['p50', 'p95']
const TOP_KEYS = ['$schema', 'thresholds', 'packages', 'alpha', 'resamples', 'seed', 'baseline_label', 'compare_rounds']

/**
 * Reads the config file: `path` when given (it must exist), else `<root>/ttapi.report.json` when
 * present, else the defaults.
 * @param root - workspace root.
 * @param path - explicit config file (`--config`).
 */
export function loadConfig(root: string, path?: string): ReportConfig {
  const file = path ?? join(root, CONFIG_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG
    throw new ConfigError(`report config: cannot read ${file}: ${(error as Error).message}`, { cause: error })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`report config: ${file} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  return parseConfig(value, file)
}

/**
 * Validates a parsed config object and fills in the defaults. Unknown keys are rejected by name.
 * @param value - the parsed JSON.
 * @param source - file name for messages.
 * @example parseConfig({ thresholds: { p95: 15 }, packages: { '@ttapi/cache': { thresholds: { p50: 5 } } } })
 */
export function parseConfig(value: unknown, source: string = CONFIG_FILE): ReportConfig {
  const where = `report config ${source}`
  const obj = expectObject(value, where, '(root)')
  rejectUnknown(obj, TOP_KEYS, where, '')
  const thresholds: Thresholds = {
    ...DEFAULT_CONFIG.thresholds,
    ...parseThresholds(obj.thresholds, where, 'thresholds'),
  }
  if (TIME_METRICS.every((m) => thresholds[m] === null))
    throw new ConfigError(`${where}: \`thresholds\` gates no metric; give p50 or p95 a number`)
  const packages: ReportConfig['packages'] = {}
  if (obj.packages !== undefined) {
    const pkgs = expectObject(obj.packages, where, 'packages')
    for (const [name, entry] of Object.entries(pkgs)) {
      const key = `packages.${name}`
      const pkg = expectObject(entry, where, key)
      rejectUnknown(pkg, ['thresholds'], where, `${key}.`)
      packages[name] = { thresholds: parseThresholds(pkg.thresholds, where, `${key}.thresholds`) }
    }
  }
  const alpha = number(obj.alpha, DEFAULT_CONFIG.alpha, where, 'alpha', (v) => v > 0 && v < 1, 'a number in (0, 1)')
  const resamples = number(
    obj.resamples,
    DEFAULT_CONFIG.resamples,
    where,
    'resamples',
    (v) => Number.isInteger(v) && v >= 2000 && v <= 1_000_000,
    'an integer from 2000 to 1000000',
  )
  const seed = number(
    obj.seed,
    DEFAULT_CONFIG.seed,
    where,
    'seed',
    (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32,
    'an integer from 0 to 2^32-1',
  )
  let baselineLabel = DEFAULT_CONFIG.baselineLabel
  if (obj.baseline_label !== undefined) {
    if (typeof obj.baseline_label !== 'string' || !/^[a-z0-9._-]+$/.test(obj.baseline_label))
      throw new ConfigError(
        `${where}: expected \`baseline_label\` to be a label ([a-z0-9._-]+), got ${show(obj.baseline_label)}`,
      )
    baselineLabel = obj.baseline_label
  }
  const compareRounds = number(
    obj.compare_rounds,
    DEFAULT_CONFIG.compareRounds,
    where,
    'compare_rounds',
    (v) => Number.isInteger(v) && v >= 2 && v <= 100,
    'an integer from 2 to 100',
  )
  return { thresholds, packages, alpha, resamples, seed, baselineLabel, compareRounds }
}

/** The thresholds that apply to one package. */
export function thresholdsFor(config: ReportConfig, pkg: string): Thresholds {
  return { ...config.thresholds, ...config.packages[pkg]?.thresholds }
}

function parseThresholds(value: unknown, where: string, key: string): Partial<Thresholds> {
  if (value === undefined) return {}
  const obj = expectObject(value, where, key)
  rejectUnknown(obj, METRICS, where, `${key}.`)
  const out: Partial<Thresholds> = {}
  for (const metric of METRICS) {
    const v = obj[metric]
    if (v === undefined) continue
    if (v !== null && !(typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1000))
      throw new ConfigError(
        `${where}: expected \`${key}.${metric}\` to be a percent in (0, 1000] or null, got ${show(v)}`,
      )
    out[metric] = v
  }
  return out
}

function expectObject(value: unknown, where: string, key: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where}: expected \`${key}\` to be an object, got ${show(value)}`)
  return value as Record<string, unknown>
}

function rejectUnknown(obj: Record<string, unknown>, known: readonly string[], where: string, prefix: string): void {
  for (const key of Object.keys(obj))
    if (!known.includes(key))
      throw new ConfigError(`${where}: unknown key \`${prefix}${key}\` (known: ${known.join(', ')})`)
}

function number(
  value: unknown,
  fallback: number,
  where: string,
  key: string,
  ok: (v: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !ok(value))
    throw new ConfigError(`${where}: expected \`${key}\` to be ${expected}, got ${show(value)}`)
  return value
}

function show(value: unknown): string {
  return `\`${JSON.stringify(value)}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`
}
