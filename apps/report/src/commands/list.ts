import { COMMON_OPTIONS, emit, loadIndex, outputColumns, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { table } from './_table.ts'
import { wrap } from '../_text-width.ts'

/** `report list`: the runs of the history, oldest first (date, label, commit, machine, profile, cases, id, files), from the run index alone. */
export async function listCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv, COMMON_OPTIONS, false)
  if (values.help) {
    io.stdout('Usage: report list [--format terminal|md|json] [--history DIR] [--out FILE] [--wide]\n')
    return 0
  }
  const format = pickFormat(values.format, ['terminal', 'md', 'json'], 'terminal')
  const history = await loadIndex(values, io)
  const runs = history.runs.map((r) => ({
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
  const footer = wrap(
    `${runs.length} run(s), ${history.recordCount} record(s) in ${history.files.length} file(s) under ${history.dir}; ${history.badLines.length} bad line(s) excluded`,
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
