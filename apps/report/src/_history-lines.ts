// Shared by the full history reader and the run index: which files a history holds, what a valid
// line is, and the --strict error. One rule for "every line used is validated".
import { readdirSync, statSync } from 'node:fs'
import { upgradeRecord, validateRecord } from '@ttapi/bench'
import type { BenchRecord, BenchRecordV1 } from '@ttapi/bench'
import { HistoryError } from './errors.ts'
import { isHistoryParquet } from './_parquet-lines.ts'
import type { BadLine } from './types.ts'

/**
 * The history files of a directory, sorted: `*.ndjson` files and the `<YYYY-MM>.parquet` files of compacted days
 * (`report compact`); a missing directory or none is a HistoryError.
 */
export function historyFiles(abs: string): string[] {
  let isDir = false
  try {
    isDir = statSync(abs).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir)
    throw new HistoryError(
      'REPORT_NO_HISTORY',
      `report: history directory ${abs} does not exist; run \`pnpm bench\` first or pass --history DIR`,
    )
  const files = readdirSync(abs)
    .filter((f) => f.endsWith('.ndjson') || isHistoryParquet(f))
    .sort()
  if (files.length === 0)
    throw new HistoryError(
      'REPORT_NO_HISTORY',
      `report: history directory ${abs} has no *.ndjson result files (nor a compacted <YYYY-MM>.parquet); run \`pnpm bench\` first`,
    )
  return files
}

/** Records read from v1 lines (their selection is a stand-in). */
export const v1Records: WeakSet<BenchRecord> = new WeakSet<BenchRecord>()

/** The record of a history line (v1 upgraded, and remembered in {@link v1Records}), or why the line is bad. */
export function checkLine(text: string): BenchRecord | string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return `malformed JSON: ${(error as Error).message}`
  }
  const result = validateRecord(value)
  if (!result.ok) {
    const schema = (value as { schema?: unknown } | null)?.schema
    const which = schema === 'ttapi.bench/v1' ? 'ttapi.bench/v1' : 'ttapi.bench/v2'
    return `not a ${which} record: ${result.errors.slice(0, 5).join('; ')}`
  }
  const record = upgradeRecord(value as BenchRecord | BenchRecordV1)
  if ((value as BenchRecordV1).schema === 'ttapi.bench/v1') v1Records.add(record)
  const samples = record.samples_ms
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!
    if (!Number.isFinite(s) || s < 0) return `samples_ms[${i}] is ${s}, expected a finite number >= 0`
  }
  return record
}

/** The `--strict` error: the first 20 bad lines, one per line. */
export function strictError(abs: string, badLines: BadLine[]): HistoryError {
  const shown = badLines.slice(0, 20).map((b) => `${b.file}:${b.line}: ${b.reason}`)
  const more = badLines.length > 20 ? `\n… and ${badLines.length - 20} more` : ''
  return new HistoryError(
    'REPORT_BAD_LINE',
    `report: ${badLines.length} bad line(s) in ${abs} (--strict):\n${shown.join('\n')}${more}`,
  )
}

/** No valid record at all: a HistoryError naming the first bad line. */
export function noValidRecord(abs: string, badLines: BadLine[]): HistoryError {
  return new HistoryError(
    'REPORT_NO_HISTORY',
    `report: history directory ${abs} holds no valid record (${badLines.length} bad line(s); first: ` +
      `${badLines[0] ? `${badLines[0].file}:${badLines[0].line}: ${badLines[0].reason}` : 'none'})`,
  )
}
