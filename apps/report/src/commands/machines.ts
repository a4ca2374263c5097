import { COMMON_OPTIONS, emit, loadInputs, outputColumns, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { table } from './_table.ts'
import { wrap } from '../_text-width.ts'

/** `report machines`: every machine of the history, with its runs, labels and newest run. */
export async function machinesCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv, COMMON_OPTIONS, false)
  if (values.help) {
    io.stdout(
      'Usage: report machines [--format terminal|md|json] [--history DIR] [--out FILE]\n' +
        '  The machines runs were measured on: a verdict only ever compares runs of one machine.\n' +
        '  Name a machine with BENCH_MACHINE=NAME when you run the benchmarks.\n',
    )
    return 0
  }
  const format = pickFormat(values.format, ['terminal', 'md', 'json'], 'terminal')
  const { history } = await loadInputs(values, io)
  const byId = new Map<
    string,
    { id: string; name: string; source: string; runs: number; labels: Set<string>; first: string; newest: string }
  >()
  for (const r of history.runs) {
    const m = byId.get(r.machine.id) ?? {
      ...r.machine,
      runs: 0,
      labels: new Set<string>(),
      first: r.startedAt,
      newest: r.startedAt,
    }
    m.runs++
    m.labels.add(r.label)
    if (r.startedAt < m.first) m.first = r.startedAt
    if (r.startedAt > m.newest) m.newest = r.startedAt
    byId.set(r.machine.id, m)
  }
  const machines = [...byId.values()]
    .sort((a, b) => (a.newest < b.newest ? 1 : -1))
    .map((m) => ({ ...m, labels: [...m.labels].sort() }))
  if (format === 'json') {
    emit(`${JSON.stringify({ dir: history.dir, machines }, null, 2)}\n`, values.out, io)
    return 0
  }
  const rows = machines.map((m) => [
    m.id,
    m.name,
    String(m.runs),
    m.labels.join(', '),
    m.first.slice(0, 10),
    m.newest.slice(0, 16).replace('T', ' '),
  ])
  emit(
    `${table(['machine', 'name', 'runs', 'labels', 'first', 'newest (UTC)'], rows, format === 'md', {
      columns: outputColumns(values, io),
      drop: { first: 3, labels: 2, machine: 1 },
      shrink: ['name', 'labels'],
    })}${wrap(`${machines.length} machine(s) in ${history.dir}`, outputColumns(values, io), 2).join('\n')}\n`,
    values.out,
    io,
  )
  return 0
}
