#!/usr/bin/env node
// The `ttapi` command line. The only place that catches everything: it maps a usage error to exit 2 (one line plus
// the command's help), any other error to exit 1 (one line, the stack only with TTAPI_DEBUG=1), and calls
// process.exit.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { cacheCommand, generateCommand, runCommand, serveQuotesCommand } from './commands.ts'
import type { CommandContext } from './commands.ts'
import { helpText, parseCommandLine } from './command-line.ts'
import { PipelineError, UsageError } from './errors.ts'
import { watchCommand } from './watch-command.ts'
import { colorEnabled, isCi, Terminal } from './terminal.ts'

/** Streams and environment of one CLI invocation (tests pass their own). */
export interface CliIO {
  /** Writes to stdout. */
  stdout: (text: string) => void
  /** Writes to stderr. */
  stderr: (text: string) => void
  /** Whether stdout is a terminal (colours). */
  stdoutIsTTY: boolean
  /** Whether stderr is a terminal (progress bars, colours). */
  stderrIsTTY: boolean
  /** Terminal width. */
  columns: () => number
  /** Environment. */
  env: NodeJS.ProcessEnv
  /** Working directory. */
  cwd: string
  /** Resolves on SIGINT/SIGTERM. */
  stopSignal: Promise<void>
}

/** The package version, from package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

/**
 * Runs one command line and returns its exit code: 0 ok, 1 a stage failed beyond the allowed share (or an
 * unexpected error), 2 a usage error.
 * @param argv - Arguments after the program name.
 * @param io - Streams and environment.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const quiet = argv.includes('--quiet') || argv.includes('-q')
  const terminal = new Terminal({
    stdout: io.stdout,
    stderr: io.stderr,
    stderrIsTTY: io.stderrIsTTY,
    color: colorEnabled(io.stderrIsTTY && io.stdoutIsTTY, io.env),
    ci: isCi(io.env),
    quiet,
    columns: io.columns,
  })
  try {
    const line = parseCommandLine(argv)
    if (line.command === 'help') {
      io.stdout(helpText('topic' in line ? line.topic : null))
      return 0
    }
    if (line.command === 'version') {
      io.stdout(`ttapi ${version()}\n`)
      return 0
    }
    const { values, positionals } = line as {
      values: Record<string, string | boolean | undefined>
      positionals: string[]
    }
    const ctx: CommandContext = { terminal, cwd: io.cwd, env: io.env, stopSignal: io.stopSignal }
    switch (line.command) {
      case 'run':
        return await runCommand(values, ctx)
      case 'watch':
        return await watchCommand(values, ctx)
      case 'serve-quotes':
        return await serveQuotesCommand(values, ctx)
      case 'generate':
        return await generateCommand(values, ctx)
      case 'cache':
        return await cacheCommand(values, positionals, ctx)
      default:
        throw new UsageError(`ttapi: unknown command \`${line.command}\``, null)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${terminal.style.red('error:')} ${error.message}\n${error.help ? `\n${helpText(error.command)}` : ''}`)
      return 2
    }
    if (error instanceof PipelineError && error.code === 'PIPELINE_INPUT') {
      io.stderr(`${terminal.style.red('error:')} ${error.message}\n`)
      return 2
    }
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`${terminal.style.red('error:')} ${message}\n`)
    if (!(error instanceof PipelineError) && io.env.TTAPI_DEBUG === '1' && error instanceof Error)
      io.stderr(`${error.stack}\n`)
    return 1
  }
}

/**
 * Runs `ttapi` in this process with its real streams and signals, then exits with the command's code once stdout
 * has drained (worker pools or keep-alive sockets must not keep a finished run alive). The bin calls it.
 * @param argv - Arguments after the program name.
 */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const stopSignal = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  const code = await main(argv, {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: () => process.stderr.columns ?? 80,
    env: process.env,
    cwd: process.cwd(),
    stopSignal,
  })
  process.stdout.write('', () => process.exit(code))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runCli()
