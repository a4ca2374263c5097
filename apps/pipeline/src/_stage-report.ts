// The one constructor of a stage's report, so every stage's summary.json entry has the same fields in the same order.
import type { StageName, StageReport } from './types.ts'

/**
 * A stage's report from its figures.
 * @param stage - which stage.
 * @param ms - its wall time.
 * @param source - where its result came from.
 * @param status - its outcome.
 * @param items - units handled.
 * @param attempted - units attempted.
 * @param failed - units that failed.
 * @param fallback - why a cached run did the stage cold, or null.
 * @param note - one line on its result.
 * @param failureShare - `failed / attempted`, 1 when nothing was attempted, unless given.
 */
export function stageReport(
  stage: StageName,
  ms: number,
  source: StageReport['source'],
  status: StageReport['status'],
  items: number,
  attempted: number,
  failed: number,
  fallback: string | null,
  note: string,
  failureShare: number = attempted === 0 ? 1 : failed / attempted,
): StageReport {
  return { stage, ms, source, status, items, attempted, failed, failureShare, fallback, note }
}
