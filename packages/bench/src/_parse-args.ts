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

export const USAGE =
  'usage: ttapi-bench run [--all] [--filter PATTERN] [--profile quick|full] [--label L | --save-baseline NAME] [--processes K] [--cpu-prof] [--then "SHELL CMD"]'

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
  if (args[0] !== 'run') throw new BenchUsageError(`bench: unknown command \`${args[0] ?? ''}\`; ${USAGE}`)
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
          throw new BenchUsageError(`bench: Expected \`--processes\` to be an integer from 1 to 50, got \`${value ?? ''}\``)
        out.processes = k
        break
      }
      default:
        throw new BenchUsageError(`bench: unknown option \`${raw}\`; ${USAGE}`)
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
