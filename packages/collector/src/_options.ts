import { InvalidOptionError } from './errors.ts'

function show(value: unknown): string {
  return `\`${typeof value === 'string' ? JSON.stringify(value) : String(value)}\` (${typeof value})`
}

/** Validates an optional integer option with a lower bound, returning the default when it is undefined. */
export function integerOption(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(`collector: Expected \`${name}\` to be an integer from ${min} up, got ${show(value)}`)
  }
  return value
}

/** Validates an optional finite number option with a lower bound (inclusive). */
export function numberOption(name: string, value: unknown, min: number, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidOptionError(`collector: Expected \`${name}\` to be a number from ${min} up, got ${show(value)}`)
  }
  return value
}

/** Validates an optional rate in [0, 1]. */
export function rateOption(name: string, value: unknown): number {
  if (value === undefined) return 0
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new InvalidOptionError(`collector: Expected \`${name}\` to be a number from 0 to 1, got ${show(value)}`)
  }
  return value
}
