#!/usr/bin/env node
// The `report` command line: a thin dispatcher over the subcommand modules in src/commands/.
// A new subcommand is one entry in COMMANDS (a lazy import); a new --format is one entry in RENDERERS.
import { pathToFileURL } from 'node:url'
import type { Command, CommandIO } from './commands/_common.ts'
import { REPORT_USAGE } from './commands/_report-usage.ts'
import { internalError, ReportError } from './errors.ts'

/**
 * Subcommand name → its module, imported on dispatch: a process loads only the command it runs (not DuckDB,
 * ajv or the HTML renderer for `report list`, nothing for `--help`). The first argument picks one, anything
 * else runs `report`.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  report: async () => (await import('./commands/report.ts')).reportCommand,
  list: async () => (await import('./commands/list.ts')).listCommand,
  machines: async () => (await import('./commands/machines.ts')).machinesCommand,
  history: async () => (await import('./commands/history.ts')).historyCommand,
  highlights: async () => (await import('./commands/highlights.ts')).highlightsCommand,
  schema: async () => (await import('./commands/schema.ts')).schemaCommand,
  changepoints: async () => (await import('./commands/changepoints.ts')).changepointsCommand,
  compare: async () => (await import('./commands/compare.ts')).compareCommand,
  calibrate: async () => (await import('./commands/compare.ts')).calibrateCommand,
  github: async () => (await import('./commands/github.ts')).githubCommand,
  affected: async () => (await import('./commands/affected.ts')).affectedCommand,
  'gate-comment': async () => (await import('./commands/gate-comment.ts')).gateCommentCommand,
  'runs-pr': async () => (await import('./commands/runs-pr.ts')).runsPrCommand,
  'runner-machine': async () => (await import('./commands/runs-pr.ts')).runnerMachineCommand,
  'version-packages': async () => (await import('./commands/version-packages.ts')).versionPackagesCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
  bisect: async () => (await import('./commands/bisect.ts')).bisectCommand,
  compact: async () => (await import('./commands/compact.ts')).compactCommand,
}

const USAGE = `Usage: report [command] [options]
Commands:
  report (default)   baseline vs current: a table, --format md|json|html, --fail-on-regression
  list               the runs in the history, with their machines
  machines           the machines runs were measured on
  history <case>     one case across all runs
  highlights         the Performance Highlights page (Markdown) from the history
  schema             the JSON Schema of --format json
  changepoints [case] change points of each case's history, with commit ranges
  compare            A/B of two git refs on this machine (interleaved, confirmed regressions exit 1)
  calibrate          false-alarm rate and detection power of the gate on this machine
  bisect             the commit that slowed a case: git bisect judged by interleaved A/B steps
  github             upsert the PR comment and create a check run from a report file
  affected           the packages a pull request's benchmarks cover, and why
  gate-comment       the gate's PR comment: verdict or tool error, what was benched and why
  runs-pr            the bot pull request bringing runs recorded on main into benchmarks/
  runner-machine     BENCH_MACHINE of a self-hosted runner, for $GITHUB_ENV
  version-packages   changeset version, then a Performance section in each bumped CHANGELOG.md
  import             another harness's results (vitest, hyperfine, criterion, Go…) into the history
  compact            older days of the history into monthly Parquet files, losslessly
Run \`report <command> --help\` for a command's options.

${REPORT_USAGE}`

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 a regression under --fail-on-regression (or an
 * internal error: one line, the stack only with TTAPI_DEBUG=1), 2 a usage or data error (one line).
 * @param argv - arguments after the script name.
 * @param io - output streams and working directory.
 */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv
  if (args[0] === 'help' || (args.length === 1 && (args[0] === '--help' || args[0] === '-h'))) {
    io.stdout(USAGE)
    return 0
  }
  const name = args[0] !== undefined && Object.hasOwn(COMMANDS, args[0]) ? args[0] : undefined
  try {
    const command = await COMMANDS[name ?? 'report']!()
    return await command(name === undefined ? args : args.slice(1), io)
  } catch (error) {
    if (error instanceof ReportError) {
      io.stderr(`${error.message}\n`)
      return 2
    }
    io.stderr(internalError('report', error))
    return 1
  }
}

function defaultIO(): CommandIO {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    // pnpm runs root scripts in the root; INIT_CWD is where the user typed the command.
    cwd: process.env.INIT_CWD ?? process.cwd(),
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    columns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2))
}
