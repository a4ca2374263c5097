import { CompactError, UsageError } from '../errors.ts'
import { compactHistory } from '../compact-history.ts'
import type { CompactStep } from '../compact-history.ts'
import { formatBytes } from '@ttapi/bench'
import { historyDir, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report compact --help`. */
export const COMPACT_USAGE: string = `Usage: report compact [--keep-days N | --before YYYY-MM-DD] [--history DIR]
  Moves whole older days of the history (<date>_<label>.ndjson) into their month's Parquet file
  (benchmarks/<YYYY-MM>.parquet, zstd), losslessly: every line comes back as it was, so the report
  reads the same before and after. Each month is written to a temp file, read back and compared with
  the NDJSON bytes, renamed into place, then the NDJSON files are removed; an interrupted compaction
  leaves a history that reads the same, and the next one finishes it. New runs still append NDJSON.
  --keep-days N   keep the last N days (before today, UTC) as NDJSON (default 30)
  --before DAY    move the days before DAY instead
  One compaction runs at a time (benchmarks/.lock-compact); a second one exits 1 at once.
  Exit 0 done (or nothing to do), 1 a month could not be written or read back or another
  compaction is running, 2 usage error.
`

/** Steps a test may stop a compaction at (`TTAPI_COMPACT_STOP=<step>`): the process says so on stderr and waits to be killed. */
const STEPS: readonly CompactStep[] = ['temp-written', 'renamed', 'first-source-removed']

/** `report compact`: older days of NDJSON history into monthly Parquet files. */
export async function compactCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      history: { type: 'string' },
      'keep-days': { type: 'string' },
      before: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(COMPACT_USAGE)
    return 0
  }
  const before = cutOff(values['keep-days'], values.before)
  const stop = stopStep()
  try {
    const result = await compactHistory(historyDir(values, io), {
      before,
      onStep:
        stop === undefined
          ? undefined
          : (step, parquet) =>
              step === stop
                ? new Promise<void>(() => {
                    io.stderr(`report compact: stopped at ${step} of ${parquet} (TTAPI_COMPACT_STOP)\n`)
                    setInterval(() => undefined, 60_000)
                  })
                : undefined,
    })
    for (const s of result.skipped) io.stderr(`report compact: ${s.file} skipped: ${s.reason}\n`)
    if (result.months.length === 0) {
      io.stdout(`report compact: nothing before ${before} to compact in ${result.dir}\n`)
      return 0
    }
    let ndjson = 0
    let moved = 0
    for (const m of result.months) {
      ndjson += m.ndjsonBytes
      moved += m.moved.length
      const kept = m.kept.length > 0 ? `; kept ${m.kept.join(', ')} (changed while compacting)` : ''
      io.stdout(
        `${m.parquet}: ${m.moved.length} file(s), ${formatBytes(m.ndjsonBytes)} of NDJSON → ` +
          `${formatBytes(m.parquetBytes)}${m.parquetBytesBefore > 0 ? ` (was ${formatBytes(m.parquetBytesBefore)})` : ''}${kept}\n`,
      )
    }
    io.stdout(
      `report compact: ${moved} file(s) before ${before} moved into ${result.months.length} Parquet file(s) ` +
        `under ${result.dir} (${formatBytes(ndjson)} of NDJSON)\n`,
    )
    return 0
  } catch (error) {
    if (!(error instanceof CompactError)) throw error
    io.stderr(`${error.message}\n`)
    return 1
  }
}

/** The first day kept: `--before`, else today (UTC) minus `--keep-days` (default 30). */
function cutOff(keepDays: string | undefined, before: string | undefined): string {
  if (keepDays !== undefined && before !== undefined)
    throw new UsageError('report compact: give --keep-days or --before, not both')
  if (before !== undefined) {
    const ms = Date.parse(`${before}T00:00:00Z`)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(before) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== before)
      throw new UsageError(`report compact: expected --before to be a day YYYY-MM-DD, got ${JSON.stringify(before)}`)
    return before
  }
  const days = keepDays === undefined ? 30 : Number(keepDays)
  if (!/^\d+$/.test(keepDays ?? '30') || !Number.isSafeInteger(days))
    throw new UsageError(
      `report compact: expected --keep-days to be an integer from 0 up, got ${JSON.stringify(keepDays)}`,
    )
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`)
  return new Date(today - days * 86_400_000).toISOString().slice(0, 10)
}

/** `TTAPI_COMPACT_STOP` (tests only): the step to stop at, or undefined. */
function stopStep(): CompactStep | undefined {
  const value = process.env.TTAPI_COMPACT_STOP
  if (value === undefined || value === '') return undefined
  if (!(STEPS as readonly string[]).includes(value))
    throw new UsageError(
      `report compact: expected TTAPI_COMPACT_STOP to be one of ${STEPS.join(', ')}, got ${JSON.stringify(value)}`,
    )
  return value as CompactStep
}
