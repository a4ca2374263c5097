// Parses `ttapi-bench run …` arguments; every mistake is a BenchUsageError (one line, exit 2).
import { BenchUsageError } from './errors.ts'
import { sanitizeLabel } from './label.ts'
import { parseProfile } from './profiles.ts'
import type { Profile } from './types.ts'

/** Parsed `run` command. */
export interface RunArgs {
  all: boolean
  filter: string | undefined
  profile: Profile
  label: string | undefined
  cpuProf: boolean
  then: string | undefined
  processes: number | undefined
  help: boolean
}

/** `ttapi-bench --help`: a synopsis, one line per option with its default, the environment, exit codes (under 100 columns). */
export const USAGE: string = `Usage: ttapi-bench run [--all] [--filter PATTERN] [--profile quick|full] [--processes K]
                       [--label L | --save-baseline NAME] [--cpu-prof] [--then "SHELL CMD"]

Runs benchmark cases, each in its own child process under a machine-wide lock, and appends one
JSON line per case to <workspace root>/benchmarks/<date>_<label>.ndjson.

Options:
  --all                  every packages/*/bench and apps/*/bench file (default: this package's)
  --filter PATTERN       only cases whose suite/case matches the regular expression (default: all)
  --profile quick|full   measurement time and dataset sizes (default: $BENCH_PROFILE, else quick)
  --processes K          fresh processes per case, interleaved (default: 2 quick, 3 full)
  --label L              label of the result file, sanitised to [a-z0-9._-] (default: git branch)
  --save-baseline NAME   the same as --label NAME, for a run meant as a baseline
  --cpu-prof             write a .cpuprofile per case and print its top functions (default: off)
  --then "SHELL CMD"     run CMD at the workspace root afterwards, with TTAPI_BENCH_RUN_ID set
  -h, --help             this text

Environment: BENCH_PROFILE, BENCH_MEASURE_MS, BENCH_WARMUP_MS, BENCH_INJECT, BENCH_CASE_TIMEOUT_MS,
BENCH_PROCESSES, BENCH_MACHINE, BENCH_RUN_ID (see packages/bench/README.md).
Exit codes: 0 ok, 1 a case or --then failed (or an internal error), 2 usage error.`

/** The one-line hint a usage error ends with. */
const SEE_HELP = 'see `ttapi-bench --help`'

const WITH_VALUE = new Set(['--filter', '--profile', '--label', '--save-baseline', '--then', '--processes'])

export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunArgs {
  // pnpm may forward a literal `--` (e.g. `pnpm bench -- --label x`): separators are ignored.
  const args = argv.filter((a) => a !== '--')
  const out: RunArgs = {
    all: false,
    filter: undefined,
    profile: 'quick',
    label: undefined,
    cpuProf: false,
    then: undefined,
    processes: undefined,
    help: false,
  }
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') return { ...out, help: true }
  if (args[0] !== 'run') throw new BenchUsageError(`bench: unknown command \`${args[0] ?? ''}\`; ${SEE_HELP}`)
  let profile: string | undefined
  let label: string | undefined
  let baseline: string | undefined
  for (let i = 1; i < args.length; i++) {
    const raw = args[i]!
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1
    const flag = eq > 0 ? raw.slice(0, eq) : raw
    let value: string | undefined
    if (WITH_VALUE.has(flag)) {
      value = eq > 0 ? raw.slice(eq + 1) : args[++i]
      if (value === undefined || (eq < 0 && value.startsWith('--')))
        throw new BenchUsageError(`bench: \`${flag}\` needs a value`)
    } else if (eq > 0) {
      throw new BenchUsageError(`bench: \`${flag}\` takes no value`)
    }
    switch (flag) {
      case '--all':
        out.all = true
        break
      case '--cpu-prof':
        out.cpuProf = true
        break
      case '--help':
      case '-h':
        out.help = true
        break
      case '--filter':
        out.filter = value
        break
      case '--profile':
        profile = value
        break
      case '--label':
        label = value
        break
      case '--save-baseline':
        baseline = value
        break
      case '--then':
        out.then = value
        break
      case '--processes': {
        const k = Number(value)
        if (!(Number.isInteger(k) && k >= 1 && k <= 50))
          throw new BenchUsageError(
            `bench: Expected \`--processes\` to be an integer from 1 to 50, got \`${value ?? ''}\``,
          )
        out.processes = k
        break
      }
      default:
        throw new BenchUsageError(`bench: unknown option \`${raw}\`; ${SEE_HELP}`)
    }
  }
  if (label !== undefined && baseline !== undefined)
    throw new BenchUsageError('bench: use `--label` or `--save-baseline`, not both')
  const envProfile = env['BENCH_PROFILE']
  out.profile = parseProfile(profile ?? (envProfile === undefined || envProfile === '' ? 'quick' : envProfile))
  const l = label ?? baseline
  if (l !== undefined) out.label = sanitizeLabel(l)
  return out
}
