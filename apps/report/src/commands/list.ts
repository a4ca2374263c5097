import { COMMON_OPTIONS, emit, loadIndex, outputColumns, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { UsageError } from '../errors.ts'
import { table } from './_table.ts'
import { wrap } from '../_text-width.ts'

/** Runs a table shows unless told otherwise: a decade of history is 10,000 lines nobody reads in a terminal. */
const DEFAULT_LAST = 50

const LIST_OPTIONS = { ...COMMON_OPTIONS, last: { type: 'string' }, all: { type: 'boolean', default: false } } as const

const LIST_USAGE = `Usage: report list [--last N | --all] [--format terminal|md|json] [--history DIR] [--out FILE]
                   [--wide]

The runs of the history, oldest first, from the run index alone: the newest ${DEFAULT_LAST} in a table (--last N
for another number, --all for every run); --format json lists every run unless --last is given.
`

/** How many of the newest runs to show: `--last N`, every run under `--all` (or json without --last), else 50. */
function runsToShow(values: { last?: string; all?: boolean }, format: string): number {
  if (values.all === true && values.last !== undefined) {
    throw new UsageError('report: --last and --all contradict each other; give one')
  }
  if (values.last !== undefined) {
    const n = Number(values.last)
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`report: --last expects a whole number from 1, got ${values.last}`)
    return n
  }
  return values.all === true || format === 'json' ? Infinity : DEFAULT_LAST
}

/** `report list`: the runs of the history, oldest first (date, label, commit, machine, profile, cases, id, files), from the run index alone. */
export async function listCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv, LIST_OPTIONS, false)
  if (values.help) {
    io.stdout(LIST_USAGE)
    return 0
  }
  const format = pickFormat(values.format, ['terminal', 'md', 'json'], 'terminal')
  const last = runsToShow(values, format)
  const history = await loadIndex(values, io)
  const shown = last >= history.runs.length ? history.runs : history.runs.slice(-last)
  const runs = shown.map((r) => ({
    id: r.id,
    date: r.date,
    startedAt: r.startedAt,
    label: r.label,
    branch: r.branch,
    commit: r.commit,
    dirty: r.dirty,
    fingerprint: r.fingerprint,
    fingerprints: r.fingerprints,
    machine: r.machine,
    selections: r.selectionKnown ? r.selections : null,
    profile: [...new Set(r.selections.map((x) => x.profile))].join('+'),
    cases: r.cases,
    files: r.files,
  }))
  if (format === 'json') {
    emit(`${JSON.stringify({ dir: history.dir, runs, badLines: history.badLines }, null, 2)}\n`, values.out, io)
    return 0
  }
  const headers = ['date', 'time', 'label', 'commit', 'machine', 'profile', 'cases', 'selection', 'run id', 'files']
  const rows = runs.map((r) => [
    r.date,
    r.startedAt.slice(11, 16),
    r.label,
    r.commit ? `${r.commit.slice(0, 7)}${r.dirty ? '+dirty' : ''}` : '—',
    r.machine.id,
    r.profile,
    String(r.cases),
    r.selections === null ? '—' : r.selections.some((x) => x.filter !== null) ? 'filtered' : 'all',
    r.id,
    r.files.join(' '),
  ])
  const columns = outputColumns(values, io)
  const older = history.runs.length - runs.length
  const omitted =
    older > 0 ? `the newest ${runs.length} of ${history.runs.length} runs shown (--last N, --all for more); ` : ''
  const footer = wrap(
    `${omitted}${history.runs.length} run(s), ${history.recordCount} record(s) in ${history.files.length} file(s) under ${history.dir}; ${history.badLines.length} bad line(s) excluded`,
    columns,
    2,
  )
  const fit = {
    columns,
    // The files go first, then the ids a reader rarely types; date, label and commit stay.
    drop: { files: 6, 'run id': 5, selection: 4, profile: 3, machine: 2, time: 1 },
    shrink: ['label', 'machine'],
  }
  emit(`${table(headers, rows, format === 'md', fit)}${footer.join('\n')}\n`, values.out, io)
  return 0
}
