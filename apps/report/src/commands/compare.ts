import { abCompare } from '../ab-compare.ts'
import type { AbCompareResult } from '../ab-compare.ts'
import { findAcknowledgement, readAcknowledgedRegressions } from '../acknowledged-regressions.ts'
import type { AcknowledgedRegression } from '../acknowledged-regressions.ts'
import { calibrate } from '../calibrate.ts'
import { UsageError } from '../errors.ts'
import { renderJson } from '../render-json.ts'
import { renderMarkdown } from '../render-markdown.ts'
import { renderTerminal } from '../render-terminal.ts'
import { COMMON_OPTIONS, emit, findWorkspaceRoot, outputColumns, parse, pickFormat, writeOutput } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { loadConfig } from '../config.ts'
import { join, resolve } from 'node:path'

export const COMPARE_USAGE = `Usage: report compare [--base REF] [--head REF] [--rounds N] [--filter PATTERN]
                      [--format terminal|md|json] [--out FILE] [--json-out FILE] [--skip-install]
                      [--judge-busy]
  A/B on this machine: base and head are checked out into git worktrees, installed, and benchmarked
  interleaved (base, head, head, base, …), each round fresh processes; cases judged regressed are
  re-run interleaved and only a confirmed regression fails (exit 1). --base defaults to the
  merge-base with main, --head to HEAD, --rounds to compare_rounds of ttapi.report.json (default 5).
  Regressions accepted by an "Accept-Regression: suite/case: reason" line in .changeset/*.md pass.
  Cases measured while other processes loaded the machine are not judged unless --judge-busy.
`

export const CALIBRATE_USAGE = `Usage: report calibrate [--ref REF] [--filter PATTERN] [--inject CASE:FACTOR] [--rounds N]
                        [--processes K] [--judge-busy] [--keep DIR] [--from DIR]
  Measures the gate on this machine as it is used, one run against another: N plain invocations
  of the harness and N with a known slowdown (BENCH_INJECT=CASE:FACTOR, *:FACTOR for every case;
  default cpu_fixed:1.15), interleaved, each with K processes a case (default N=4, K=3). Prints,
  for 1 to K processes, the false-alarm and inconclusive rates (plain vs plain) and the power
  (plain vs slowed), to choose --processes for a profile or for CI. --keep DIR copies the recorded
  runs to DIR; --from DIR judges runs kept earlier without recording new ones.
`

function int(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`report: expected --${name} to be a positive integer, got ${JSON.stringify(value)}`)
  return n
}

/** `report compare`: interleaved A/B of two refs, confirmed regressions fail. */
export async function compareCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...COMMON_OPTIONS,
      base: { type: 'string' },
      head: { type: 'string' },
      rounds: { type: 'string' },
      filter: { type: 'string' },
      'json-out': { type: 'string' },
      'judge-busy': { type: 'boolean', default: false },
      'skip-install': { type: 'boolean', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(COMPARE_USAGE)
    return 0
  }
  const format = pickFormat(values.format, ['terminal', 'md', 'json'], 'terminal')
  const root = findWorkspaceRoot(io.cwd)
  const config = loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config))
  const result = await abCompare({
    repo: root,
    base: values.base,
    head: values.head,
    rounds: int(values.rounds, 'rounds', config.compareRounds),
    filter: values.filter,
    config,
    judgeBusy: values['judge-busy'],
    skipInstall: values['skip-install'],
    log: (l) => io.stderr(`${l}\n`),
  })
  const { failing, accepted } = splitConfirmed(result, readAcknowledgedRegressions(join(root, '.changeset')))
  const context = { historyDir: 'A/B worktrees', files: 0, records: result.comparison.cases.length, badLines: [] }
  const header = [
    `A/B: base ${result.baseCommit.slice(0, 10)} vs head ${result.headCommit.slice(0, 10)}, ${result.rounds} interleaved rounds per side.`,
    result.confirmations.length
      ? `Re-run of cases judged regressed: ${result.confirmations.map((c) => `${c.key} ${c.confirmed ? 'CONFIRMED' : 'not confirmed'}`).join('; ')}.`
      : 'No case was judged regressed.',
    ...(accepted.length ? [`Accepted by a changeset: ${accepted.join('; ')}.`] : []),
    failing.length ? `❌ Confirmed regressions: ${failing.join(', ')}` : '✅ No confirmed regression.',
  ]
  const body =
    format === 'json'
      ? JSON.stringify(
          {
            ab: {
              base: result.baseCommit,
              head: result.headCommit,
              rounds: result.rounds,
              confirmations: result.confirmations,
              failing,
              accepted,
            },
            report: JSON.parse(renderJson(result.comparison, context)) as unknown,
          },
          null,
          2,
        )
      : format === 'md'
        ? `${header.map((h) => `> ${h}`).join('\n')}\n\n${renderMarkdown(result.comparison, context)}`
        : `${header.join('\n')}\n\n${renderTerminal(result.comparison, context, {
            color: io.color && values.out === undefined,
            columns: outputColumns(values, io),
            wide: !Number.isFinite(outputColumns(values, io)),
          })}`
  emit(body, values.out, io)
  if (values['json-out'])
    writeOutput('--json-out', resolve(io.cwd, values['json-out']), renderJson(result.comparison, context))
  if (failing.length) {
    io.stderr(`report: confirmed regression in ${failing.join(', ')}\n`)
    return 1
  }
  return 0
}

/** The confirmed regressions split into those that fail and those a changeset accepts (with its reason). */
function splitConfirmed(
  result: AbCompareResult,
  acks: AcknowledgedRegression[],
): { failing: string[]; accepted: string[] } {
  const failing: string[] = []
  const accepted: string[] = []
  for (const key of result.confirmed) {
    const row = result.comparison.cases.find((c) => `${c.package}/${c.suite}/${c.case}` === key)!
    const ack = findAcknowledgement(acks, row.package, row.suite, row.case)
    if (ack) accepted.push(`${key} (accepted: ${ack.reason})`)
    else failing.push(key)
  }
  return { failing, accepted }
}

/** `report calibrate`: false-alarm rate and power of the gate on this machine. */
export async function calibrateCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...COMMON_OPTIONS,
      ref: { type: 'string' },
      filter: { type: 'string' },
      inject: { type: 'string' },
      rounds: { type: 'string' },
      processes: { type: 'string' },
      keep: { type: 'string' },
      from: { type: 'string' },
      'judge-busy': { type: 'boolean', default: false },
      'skip-install': { type: 'boolean', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(CALIBRATE_USAGE)
    return 0
  }
  const root = findWorkspaceRoot(io.cwd)
  const config = loadConfig(root, values.config === undefined ? undefined : resolve(io.cwd, values.config))
  const r = await calibrate({
    repo: root,
    ref: values.ref,
    filter: values.filter,
    inject: values.inject,
    rounds: int(values.rounds, 'rounds', 4),
    processes: int(values.processes, 'processes', 3),
    judgeBusy: values['judge-busy'],
    keep: values.keep === undefined ? undefined : resolve(io.cwd, values.keep),
    from: values.from === undefined ? undefined : resolve(io.cwd, values.from),
    config,
    skipInstall: values['skip-install'],
    log: (l) => io.stderr(`${l}\n`),
  })
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
  const text = [
    `Calibration of ${r.commit.slice(0, 10)} on this machine: ${r.rounds} plain and ${r.rounds} slowed runs ` +
      `(${r.inject}) of ${r.cases} case(s), ${r.secondsPerRound.toFixed(0)} s per run at ${r.levels.length} process(es), ` +
      `thresholds ${JSON.stringify(config.thresholds)}`,
    ...r.levels.map(
      (l) =>
        `  --processes ${l.processes}: A/A ${pct(l.falseAlarmRate)} false regressed, ${pct(l.inconclusiveRate)} inconclusive ` +
        `of ${l.aaJudged} (${Object.entries(l.aa)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ')}); power ${pct(l.power)} of ${l.abJudged} (${Object.entries(l.ab)
          .map(([v, n]) => `${v} ${n}`)
          .join(', ')})`,
    ),
    '  Each judgement is one run against another (every pair of runs), as the gate compares a baseline with a current run.',
    '',
  ].join('\n')
  emit(values.format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : text, values.out, io)
  return 0
}
