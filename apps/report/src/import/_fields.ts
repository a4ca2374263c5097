// Field readers for the import formats: each names the file, the format and the field it refused.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ImportError } from '../errors.ts'

/** The file being read and its format, for error messages. */
export interface ReadContext {
  /** Path as given on the command line. */
  file: string
  /** The `--from` format. */
  format: string
}

/** Throws the one-line import error: `report import: FILE (FORMAT): FIELD: PROBLEM`. */
export function fail(ctx: ReadContext, field: string, problem: string): never {
  throw new ImportError(`report import: ${ctx.file} (${ctx.format}): ${field}: ${problem}`)
}

/** `got "x" (string)` for a refused value. */
function got(value: unknown): string {
  const text = JSON.stringify(value)
  const shown = text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}…` : text
  return `got ${shown} (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`
}

/** Reads a file as UTF-8; a missing or unreadable file is an import error naming it. */
export function readText(ctx: ReadContext, path: string = ctx.file): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    return fail(ctx, path === ctx.file ? '(file)' : basename(path), `cannot read: ${code}`)
  }
}

/** Parses JSON text; a syntax error is an import error naming the file. */
export function parseJson(ctx: ReadContext, text: string, field = '(file)'): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    return fail(ctx, field, `not valid JSON: ${(error as Error).message}`)
  }
}

/** An object (not null, not an array). */
export function object(ctx: ReadContext, value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(ctx, field, `expected an object, ${got(value)}`)
  return value as Record<string, unknown>
}

/** A non-empty array. */
export function array(ctx: ReadContext, value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(ctx, field, `expected a non-empty array, ${got(value)}`)
  return value
}

/** A non-empty string. */
export function string(ctx: ReadContext, value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') fail(ctx, field, `expected a non-empty string, ${got(value)}`)
  return value
}

/** A finite number ≥ 0 (> 0 with `positive`). */
export function number(ctx: ReadContext, value: unknown, field: string, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0))
    fail(ctx, field, `expected a ${positive ? 'positive' : 'non-negative'} number, ${got(value)}`)
  return value
}

/** A number like {@link number} times `scale`, or null when the field is absent or null. */
export function optionalNumber(ctx: ReadContext, value: unknown, field: string, scale = 1): number | null {
  return value === undefined || value === null ? null : number(ctx, value, field) * scale
}

/** A non-empty array of finite numbers ≥ 0, each multiplied by `scale` (the unit conversion to ms). */
export function numbers(ctx: ReadContext, value: unknown, field: string, scale: number): number[] {
  const list = array(ctx, value, field)
  return list.map((x, i) => number(ctx, x, `${field}[${i}]`) * scale)
}
