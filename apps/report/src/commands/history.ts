import { caseHistory } from '../case-history.ts'
import { UsageError } from '../errors.ts'
import { formatBytes, formatMs, formatRate } from '../_format.ts'
import { COMMON_OPTIONS, emit, loadIndex, outputColumns, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'
import { table } from './_table.ts'
import { truncate } from '../_text-width.ts'

/** `report history <case>`: one case across all runs (date, label, commit, p50, p95, throughput). */
export async function historyCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv, COMMON_OPTIONS, true)
  if (values.help) {
    io.stdout(
      'Usage: report history <case | suite/case | package/suite/case> [--format terminal|md|json]\n                      [--history DIR] [--out FILE] [--wide]\n',
    )
    return 0
  }
  if (positionals.length !== 1)
    throw new UsageError(
      `report: history takes one case name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`,
    )
  const format = pickFormat(values.format, ['terminal', 'md', 'json'], 'terminal')
  // Per-(run, case) aggregates from DuckDB, cached per file beside the run index: no sample is read.
  const { loadRunAggregates } = await import('../run-aggregates.ts')
  const history = await loadRunAggregates(await loadIndex(values, io), { case: positionals[0]! })
  const result = caseHistory(history, positionals[0]!)
  if (format === 'json') {
    emit(`${JSON.stringify(result, null, 2)}\n`, values.out, io)
    return 0
  }
  const headers = ['date', 'label', 'commit', 'n', 'p50', 'p95', 'throughput', 'rss peak', 'fingerprint', 'run']
  const rows = result.points.map((p) => [
    p.startedAt.slice(0, 16).replace('T', ' '),
    p.label,
    p.commit?.slice(0, 7) ?? '—',
    String(p.n),
    formatMs(p.p50Ms),
    formatMs(p.p95Ms),
    formatRate(p.itemsPerS, result.unit),
    formatBytes(p.rssPeakBytes),
    p.fingerprint,
    p.runId,
  ])
  const title = `${result.key}: ${result.points.length} run(s)`
  const columns = outputColumns(values, io)
  const fit = { columns, drop: { fingerprint: 5, run: 4, 'rss peak': 3, n: 2, throughput: 1 }, shrink: ['label'] }
  const head = format === 'md' ? `## ${title}\n\n` : `${truncate(title, columns)}\n`
  emit(`${head}${table(headers, rows, format === 'md', fit)}`, values.out, io)
  return 0
}
