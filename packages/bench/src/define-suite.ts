import { BenchSuiteError } from './errors.ts'
import type { SuiteDefinition } from './types.ts'

const NAME = /^[a-z0-9_]+$/
const UNITS = new Set(['symbols', 'rows', 'bytes', 'ops'])

function show(v: unknown): string {
  return `\`${typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))}\` (${typeof v})`
}

/**
 * Declares the suite of a `bench/*.bench.ts` file (its default export). Returns its argument after
 * checking it: suite and case names `[a-z0-9_]+`, case names unique, a known `unit`, a function `fn`.
 *
 * @param suite - The suite.
 * @returns The same object.
 * @throws BenchSuiteError when the definition breaks a rule.
 * @example
 * export default defineSuite({ suite: 'sum', cases: [{ name: 'sum_1e6', unit: 'ops', itemsPerOp: 1, fn: () => sum(xs) }] })
 */
export function defineSuite<T extends SuiteDefinition>(suite: T): T {
  validateSuite(suite)
  return suite
}

/**
 * Checks a value is a valid {@link SuiteDefinition}; used on every bench file's default export.
 *
 * @param value - Anything.
 * @param where - Names the source (file path) in error messages.
 * @throws BenchSuiteError naming the rule broken.
 */
export function validateSuite(value: unknown, where = 'suite'): asserts value is SuiteDefinition {
  if (typeof value !== 'object' || value === null) {
    throw new BenchSuiteError(`bench: ${where}: Expected a suite object (defineSuite({...})), got ${show(value)}`)
  }
  const s = value as Partial<SuiteDefinition>
  if (typeof s.suite !== 'string' || !NAME.test(s.suite)) {
    throw new BenchSuiteError(`bench: ${where}: Expected \`suite\` to match [a-z0-9_]+, got ${show(s.suite)}`)
  }
  if (s.package !== undefined && (typeof s.package !== 'string' || s.package === '')) {
    throw new BenchSuiteError(`bench: ${where}: Expected \`package\` to be a non-empty string, got ${show(s.package)}`)
  }
  if (!Array.isArray(s.cases) || s.cases.length === 0) {
    throw new BenchSuiteError(`bench: ${where}: Expected \`cases\` to be a non-empty array, got ${show(s.cases)}`)
  }
  const seen = new Set<string>()
  for (const [i, c] of s.cases.entries()) {
    const at = `${where}: suite ${s.suite} case #${i}`
    if (typeof c !== 'object' || c === null)
      throw new BenchSuiteError(`bench: ${at}: Expected an object, got ${show(c)}`)
    if (typeof c.name !== 'string' || !NAME.test(c.name)) {
      throw new BenchSuiteError(`bench: ${at}: Expected \`name\` to match [a-z0-9_]+, got ${show(c.name)}`)
    }
    if (seen.has(c.name)) throw new BenchSuiteError(`bench: ${at}: duplicate case name \`${c.name}\``)
    seen.add(c.name)
    if (!UNITS.has(c.unit)) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`unit\` symbols|rows|bytes|ops, got ${show(c.unit)}`,
      )
    }
    if (typeof c.fn !== 'function')
      throw new BenchSuiteError(`bench: ${at} (${c.name}): Expected \`fn\` to be a function, got ${show(c.fn)}`)
    const ipo: unknown = c.itemsPerOp
    if (typeof ipo !== 'function' && !(typeof ipo === 'number' && Number.isFinite(ipo) && ipo > 0)) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`itemsPerOp\` to be a positive number or a function, got ${show(ipo)}`,
      )
    }
    const bpo: unknown = c.bytesPerOp
    if (
      bpo !== undefined &&
      bpo !== null &&
      typeof bpo !== 'function' &&
      !(typeof bpo === 'number' && Number.isFinite(bpo) && bpo >= 0)
    ) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`bytesPerOp\` to be a number >= 0, null or a function, got ${show(bpo)}`,
      )
    }
    for (const k of ['setup', 'teardown'] as const) {
      if (c[k] !== undefined && typeof c[k] !== 'function') {
        throw new BenchSuiteError(`bench: ${at} (${c.name}): Expected \`${k}\` to be a function, got ${show(c[k])}`)
      }
    }
    if (c.minSamples !== undefined && !(Number.isInteger(c.minSamples) && c.minSamples >= 1)) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`minSamples\` to be an integer from 1 up, got ${show(c.minSamples)}`,
      )
    }
    if (
      c.maxTimeMs !== undefined &&
      !(typeof c.maxTimeMs === 'number' && Number.isFinite(c.maxTimeMs) && c.maxTimeMs > 0)
    ) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`maxTimeMs\` to be a number above 0, got ${show(c.maxTimeMs)}`,
      )
    }
    const profiles: unknown = c.profiles
    if (
      profiles !== undefined &&
      !(Array.isArray(profiles) && profiles.length > 0 && profiles.every((p) => p === 'quick' || p === 'full'))
    ) {
      throw new BenchSuiteError(
        `bench: ${at} (${c.name}): Expected \`profiles\` to be a non-empty array of quick|full, got ${show(profiles)}`,
      )
    }
  }
}
