// Shared plumbing of the subcommands: argument parsing, workspace root, history and config loading.
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { ParseArgsConfig } from 'node:util'
import { findWorkspaceRoot as nearestWorkspaceRoot } from '@ttapi/bench'
import { loadConfig } from '../config.ts'
import { UsageError } from '../errors.ts'
import { fsReason, makeDir } from '@ttapi/bench/make-dir'
import { DEFAULT_COLUMNS } from '../_text-width.ts'
import { loadRunIndex } from '../run-index.ts'
import type { RunIndex } from '../run-index.ts'
import type { History, ReportConfig } from '../types.ts'

/** Where a command writes and which directory it runs in. */
export interface CommandIO {
  /** Writes to standard output. */
  stdout: (text: string) => void
  /** Writes to standard error. */
  stderr: (text: string) => void
  /** Working directory relative paths resolve against. */
  cwd: string
  /** Whether standard output is a colour terminal. */
  color: boolean
  /** Width of the terminal standard output is, or undefined when it is not one (then 100). */
  columns?: number
}

/** A subcommand: parses its own arguments, returns the exit code (0 ok, 1 regression gate, 2 usage/data error). */
export type Command = (argv: string[], io: CommandIO) => Promise<number>

/** The parseArgs shape of {@link COMMON_OPTIONS}. */
// A type alias, not an interface: parseArgs needs the implicit index signature.
export type CommonOptions = {
  history: { type: 'string' }
  config: { type: 'string' }
  strict: { type: 'boolean'; default: boolean }
  format: { type: 'string' }
  out: { type: 'string' }
  wide: { type: 'boolean'; default: boolean }
  help: { type: 'boolean'; short: string; default: boolean }
}

/** Options every subcommand accepts. */
export const COMMON_OPTIONS: CommonOptions = {
  history: { type: 'string' },
  config: { type: 'string' },
  strict: { type: 'boolean', default: false },
  format: { type: 'string' },
  out: { type: 'string' },
  wide: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
}

/** The width terminal output fits: unlimited under `--wide` or when writing `--out`, else the terminal's, else 100. */
export function outputColumns(values: { wide?: boolean; out?: string }, io: CommandIO): number {
  if (values.wide === true || values.out !== undefined) return Infinity
  return io.columns !== undefined && io.columns > 0 ? io.columns : DEFAULT_COLUMNS
}

/** parseArgs in strict mode; a mistake becomes a one-line UsageError naming the option. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals: boolean,
): { values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true }>>['values']; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (error) {
    throw new UsageError(`report: ${(error as Error).message}; see \`report --help\``, { cause: error })
  }
}

/**
 * The workspace root a command works in: the nearest folder holding `pnpm-workspace.yaml` at or above `from`
 * (`findWorkspaceRoot` of `@ttapi/bench`, the one implementation), else the one holding this file, else `from`.
 */
export function findWorkspaceRoot(from: string): string {
  return nearestWorkspaceRoot(from) ?? nearestWorkspaceRoot(dirname(fileURLToPath(import.meta.url))) ?? resolve(from)
}

/** Loads the history (`--history` or `<root>/benchmarks`) and the config (`--config` or `<root>/ttapi.report.json`). */
export async function loadInputs(
  values: { history?: string; config?: string; strict?: boolean },
  io: CommandIO,
): Promise<{ root: string; history: History; config: ReportConfig }> {
  const root = findWorkspaceRoot(io.cwd)
  const config = loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config))
  const dir = values.history === undefined ? join(root, 'benchmarks') : resolve(io.cwd, values.history)
  // Imported here, not at the top: DuckDB loads only for the commands that read every record.
  const { loadHistory } = await import('../load-history.ts')
  const history = await loadHistory(dir, { strict: values.strict === true })
  return { root, history, config }
}

/** The config (`--config` or `<root>/ttapi.report.json`). */
export function loadReportConfig(values: { config?: string }, io: CommandIO): ReportConfig {
  const root = findWorkspaceRoot(io.cwd)
  return loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config))
}

/** The history directory of `--history` (or `<root>/benchmarks`). */
export function historyDir(values: { history?: string }, io: CommandIO): string {
  return values.history === undefined ? join(findWorkspaceRoot(io.cwd), 'benchmarks') : resolve(io.cwd, values.history)
}

/** The run index of the history (`--history` or `<root>/benchmarks`): runs without their records, cached per file. */
export function loadIndex(values: { history?: string; strict?: boolean }, io: CommandIO): Promise<RunIndex> {
  return loadRunIndex(historyDir(values, io), { strict: values.strict === true })
}

/** Checks `--format` against the formats a command supports. */
export function pickFormat(value: string | undefined, allowed: readonly string[], fallback: string): string {
  const format = value ?? fallback
  if (!allowed.includes(format))
    throw new UsageError(`report: expected --format to be one of ${allowed.join(', ')}, got ${JSON.stringify(format)}`)
  return format
}

/** Writes `text` to `--out` (creating its folder) or to standard output; a file-system error is a UsageError naming `--out`. */
export function emit(text: string, out: string | undefined, io: CommandIO): void {
  if (out === undefined) {
    io.stdout(text)
    return
  }
  const file = resolve(io.cwd, out)
  writeOutput('--out', file, text)
  io.stderr(`report: wrote ${file}\n`)
}

/**
 * Writes a file the user named (creating its folder); a file-system error becomes a one-line UsageError
 * naming the flag and the path: `report: cannot write --out /ro/x.md: EACCES: permission denied`.
 * @param flag - the option that named the file, e.g. `--out`.
 * @param file - absolute path.
 * @param text - the content.
 */
export function writeOutput(flag: string, file: string, text: string): void {
  try {
    makeDir(dirname(file))
    writeFileSync(file, text)
  } catch (error) {
    throw new UsageError(`report: cannot write ${flag} ${file}: ${fsReason(error)}`, { cause: error })
  }
}
