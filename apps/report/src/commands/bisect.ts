import { resolve } from 'node:path'
import { bisect, BisectAborted, formatStep } from '../bisect.ts'
import { loadConfig } from '../config.ts'
import { UsageError } from '../errors.ts'
import { COMMON_OPTIONS, findWorkspaceRoot, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report bisect --help`. */
export const BISECT_USAGE: string = `Usage: report bisect --case SUITE/CASE --good REF --bad REF [--rounds N] [--max-rounds M]
                     [--skip-install] [--judge-busy] [--config FILE]
  Finds the commit that slowed a case. The bad ref is first judged against the good one; if it is
  not slower nothing is blamed. Then git bisect walks the commits between them in a worktree of its
  own: each step is an interleaved A/B against the good ref (fresh processes, the verdict rules of
  report compare); regressed marks bad, unchanged or improved good, inconclusive gets more rounds
  (up to --max-rounds, default 2 x --rounds) and then skip. Prints the first bad commit with its
  evidence (ratio, interval, rounds). Your checkout is never touched; the worktrees and the bisect
  state are removed whatever happens (Ctrl-C included). --rounds defaults to compare_rounds.
  Exit 0: a first bad commit, or no regression; 1: skipped or inconclusive commits leave no single
  answer; 2: usage error; 130: interrupted.
`

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 2)
    throw new UsageError(`report bisect: expected --${name} to be an integer from 2 up, got ${JSON.stringify(value)}`)
  return n
}

/** `report bisect`: the first commit that slowed a case. */
export async function bisectCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...COMMON_OPTIONS,
      case: { type: 'string' },
      good: { type: 'string' },
      bad: { type: 'string' },
      rounds: { type: 'string' },
      'max-rounds': { type: 'string' },
      'judge-busy': { type: 'boolean', default: false },
      'skip-install': { type: 'boolean', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(BISECT_USAGE)
    return 0
  }
  for (const flag of ['case', 'good', 'bad'] as const)
    if (values[flag] === undefined)
      throw new UsageError(`report bisect: --${flag} is required; see \`report bisect --help\``)
  const root = findWorkspaceRoot(io.cwd)
  const config = loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config))
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    io.stderr(`report bisect: ${signal}: stopping after the harness run in progress, then cleaning up\n`)
    controller.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const r = await bisect({
      repo: root,
      case: values.case!,
      good: values.good!,
      bad: values.bad!,
      rounds: int(values.rounds, 'rounds'),
      maxRounds: int(values['max-rounds'], 'max-rounds'),
      config,
      judgeBusy: values['judge-busy'],
      skipInstall: values['skip-install'],
      log: (l) => io.stderr(`${l}\n`),
      signal: controller.signal,
    })
    const lines = [`Bisect of ${values.case} between ${r.good.slice(0, 10)} (good) and ${r.bad.slice(0, 10)} (bad):`]
    lines.push(...r.steps.map((s) => `  ${formatStep(s)}`))
    if (r.outcome === 'found') {
      const evidence = r.steps.find((s) => s.commit === r.firstBad)
      lines.push(`First bad commit: ${r.firstBad}${evidence ? ` — ${evidence.subject}` : ''}`)
      if (evidence) lines.push(`  evidence: ${formatStep(evidence)}`, `  ${evidence.reason}`)
    } else if (r.outcome === 'ambiguous')
      lines.push(
        `No single first bad commit: skipped commits leave ${r.candidates.map((c) => c.slice(0, 10)).join(', ')}`,
      )
    else if (r.outcome === 'no_regression')
      lines.push(`No commit blamed: ${values.bad} is not slower than ${values.good} (${r.steps[0]!.reason})`)
    else
      lines.push(`No commit blamed: ${values.bad} could not be told apart from ${values.good} (${r.steps[0]!.reason})`)
    io.stdout(`${lines.join('\n')}\n`)
    return r.outcome === 'found' || r.outcome === 'no_regression' ? 0 : 1
  } catch (error) {
    if (error instanceof BisectAborted) {
      io.stderr(`${error.message}\n`)
      return 130
    }
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
