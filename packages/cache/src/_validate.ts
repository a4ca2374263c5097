import { CacheOptionError } from './errors.ts'

function show(value: unknown): string {
  return `\`${typeof value === 'string' ? value : String(value)}\` (${typeof value})`
}

/** Throws unless `value` is a number > 0 (Infinity allowed when `allowInfinity`). */
export function assertPositive(name: string, value: unknown, allowInfinity: boolean): asserts value is number {
  const ok = typeof value === 'number' && value > 0 && (Number.isFinite(value) || (allowInfinity && value === Infinity))
  if (!ok) {
    throw new CacheOptionError(
      `cache: Expected \`${name}\` to be a number greater than 0${allowInfinity ? ' or Infinity' : ''}, got ${show(value)}`,
    )
  }
}

/** Throws unless `value` is a number ≥ 0 (Infinity allowed). */
export function assertNonNegative(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new CacheOptionError(`cache: Expected \`${name}\` to be a number from 0 up, got ${show(value)}`)
  }
}

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new CacheOptionError(`cache: Expected \`${name}\` to be an integer from ${min} up, got ${show(value)}`)
  }
}

/** Throws unless `key` is a non-empty string. */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw new CacheOptionError(`cache: Expected \`key\` to be a non-empty string, got ${show(key)}`)
  }
}

/** The cache's own message when a caller passes a non-function where one is required. */
export function assertFunction(name: string, value: unknown): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') {
    throw new CacheOptionError(`cache: Expected \`${name}\` to be a function, got ${show(value)}`)
  }
}
