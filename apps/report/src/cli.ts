#!/usr/bin/env node
// The `report` command line: a thin dispatcher over the subcommand modules in src/commands/.
// A new subcommand is one import and one entry in COMMANDS; a new --format is one entry in RENDERERS.
import { pathToFileURL } from 'node:url'
import { affectedCommand } from './commands/affected.ts'
import { bisectCommand } from './commands/bisect.ts'
import { changepointsCommand } from './commands/changepoints.ts'
import { calibrateCommand, compareCommand } from './commands/compare.ts'
import { gateCommentCommand } from './commands/gate-comment.ts'
import { githubCommand } from './commands/github.ts'
import { highlightsCommand } from './commands/highlights.ts'
import { historyCommand } from './commands/history.ts'
import { importCommand } from './commands/import.ts'
import { listCommand } from './commands/list.ts'
import { machinesCommand } from './commands/machines.ts'
import { REPORT_USAGE, reportCommand } from './commands/report.ts'
import { runnerMachineCommand, runsPrCommand } from './commands/runs-pr.ts'
import { schemaCommand } from './commands/schema.ts'
import { versionPackagesCommand } from './commands/version-packages.ts'
import type { Command, CommandIO } from './commands/_common.ts'
import { internalError, ReportError } from './errors.ts'

/** Subcommand name → module; the first argument picks one, anything else runs `report`. */
const COMMANDS: Record<string, Command> = {
  report: reportCommand,
  list: listCommand,
  machines: machinesCommand,
  history: historyCommand,
  highlights: highlightsCommand,
  schema: schemaCommand,
  changepoints: changepointsCommand,
  compare: compareCommand,
  calibrate: calibrateCommand,
  github: githubCommand,
  affected: affectedCommand,
  'gate-comment': gateCommentCommand,
  'runs-pr': runsPrCommand,
  'runner-machine': runnerMachineCommand,
  'version-packages': versionPackagesCommand,
  import: importCommand,
  bisect: bisectCommand,
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
  const command = COMMANDS[name ?? 'report']!
  try {
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
