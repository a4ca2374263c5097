import { BenchUsageError } from './errors.ts'

/**
 * Sanitises a label to `[a-z0-9._-]`: lowercased, every other run of characters becomes `-`,
 * leading/trailing `-` trimmed (e.g. `feature/Fast CSV` becomes `feature-fast-csv`).
 *
 * @param raw - A label, branch name or baseline name.
 * @returns The sanitised label.
 * @throws BenchUsageError when nothing is left.
 */
export function sanitizeLabel(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
  if (s === '') throw new BenchUsageError(`bench: label \`${raw}\` is empty after sanitising to [a-z0-9._-]`)
  return s
}

/**
 * File name of a run's results: `<YYYY-MM-DD>_<label>.ndjson`, the date in UTC.
 *
 * @param startedAt - When the run started.
 * @param label - A sanitised label.
 * @returns The file name (no folder).
 */
export function resultFileName(startedAt: Date, label: string): string {
  return `${startedAt.toISOString().slice(0, 10)}_${label}.ndjson`
}
