import { caseName, formatBytes, formatChange, formatMs } from './_format.ts'
import { lostRecordWarnings } from './_lost-records.ts'
import { slowdownPhrase, unconfirmedSlowdowns } from './headline.ts'
import type { CaseComparison, Comparison, ReportContext } from './types.ts'

/** How many cases the summary names per status before it says "and N more". */
const NAMED = 8

/**
 * The Summary bullets every format shares (markdown inline code for names): regressions with ❌,
 * improvements with ✅ as "48x faster than baseline" or "12.3% faster", counts of unchanged and
 * inconclusive cases, the peak-memory change, added and removed cases.
 * @example summaryBullets(comparison) // ['❌ 1 case regressed beyond its threshold', …]
 */
export function summaryBullets(c: Comparison): string[] {
  const out: string[] = []
  if (c.baseline === null) {
    out.push(
      c.noComparable ??
        `No baseline exists: no earlier run carries the baseline label, so nothing is compared (pass --baseline to pick a run). ${c.cases.length} case(s) measured in the current run.`,
    )
    if (c.current.busy) out.push(busyLine(c))
    return out
  }
  const regressed = c.cases.filter((x) => x.status === 'regressed')
  const improved = c.cases.filter((x) => x.status === 'improved')
  const judged = c.counts.regressed + c.counts.improved + c.counts.unchanged + c.counts.inconclusive
  const slow = unconfirmedSlowdowns(c)
  const slowPhrase = slowdownPhrase(slow)
  if (regressed.length === 0)
    out.push(
      judged === 0
        ? `No case could be judged: ${c.counts.not_judged} not judged (other machine, configuration or a busy machine)`
        : // Never "no regressions" while a case may be slower: say what is known instead.
          slowPhrase !== null
          ? `⚠️ No confirmed regression, but ${slowPhrase}`
          : `✅ No regressions across ${judged} judged case(s)`,
    )
  else out.push(`❌ ${regressed.length} case(s) regressed beyond their threshold`)
  if (regressed.length > 0 && slowPhrase !== null) out.push(`⚠️ ${slowPhrase}`)
  for (const s of slow.slice(0, NAMED))
    out.push(`⚠️ \`${caseName(s.case)}\` ${s.metric} ${formatChange(s.changePct)}: ${s.case.reason}`)
  for (const r of regressed.slice(0, NAMED)) out.push(`❌ \`${caseName(r)}\` ${slower(r)}`)
  if (regressed.length > NAMED) out.push(`❌ … and ${regressed.length - NAMED} more regressed (see Detailed Results)`)
  for (const r of improved.slice(0, NAMED)) out.push(`✅ \`${caseName(r)}\` ${faster(r)}`)
  if (improved.length > NAMED) out.push(`✅ … and ${improved.length - NAMED} more improved`)
  out.push(`➖ ${c.counts.unchanged} unchanged, ❔ ${c.counts.inconclusive} inconclusive (see Notes)`)
  const notJudged = c.cases.filter((x) => x.status === 'not_judged')
  if (notJudged.length > 0) {
    const by = (w: string): number => notJudged.filter((x) => x.notJudged === w).length
    const parts = [
      by('other_machine') > 0 ? `${by('other_machine')} from another machine` : null,
      by('other_config') > 0 ? `${by('other_config')} with another configuration` : null,
      by('busy') > 0 ? `${by('busy')} measured on a busy machine` : null,
    ].filter((x) => x !== null)
    out.push(`⚠️ ${notJudged.length} case(s) not judged: ${parts.join(', ')} (ratios shown, no verdict)`)
  }
  const unstable = c.cases.filter((x) => x.unstable !== null)
  if (unstable.length > 0)
    out.push(
      `⚠️ Unstable (processes disagree beyond their noise): ${unstable
        .slice(0, NAMED)
        .map(
          (x) =>
            `\`${caseName(x)}\` ${x.unstable!.spread.toFixed(2)}x across ${x.unstable!.processes} ${x.unstable!.side} processes`,
        )
        .join(', ')}${unstable.length > NAMED ? ` and ${unstable.length - NAMED} more` : ''}`,
    )
  if (c.current.busy) out.push(busyLine(c))
  const notRun = c.counts.not_run
  if (notRun > 0) out.push(`· ${notRun} case(s) of the baseline not run (outside this run's selection)`)
  const memory = memoryBullet(c.cases)
  if (memory !== null) out.push(memory)
  const added = c.cases.filter((x) => x.status === 'added')
  const removed = c.cases.filter((x) => x.status === 'removed')
  if (added.length > 0) out.push(`🆕 Added: ${names(added)}`)
  if (removed.length > 0) out.push(`🗑️ Removed: ${names(removed)}`)
  return out
}

/**
 * The Notes: runs of the comparison that lost records to bad lines, environment mismatch, excluded lines (`file:line: reason`) and why each inconclusive
 * case is inconclusive.
 */
export function reportNotes(c: Comparison, context: ReportContext): string[] {
  const out: string[] = lostRecordWarnings(c, context)
  if (c.fingerprintMismatch)
    out.push(
      `Environment mismatch: ${c.envDifferences.map((d) => `${d.field} ${JSON.stringify(d.baseline)} → ${JSON.stringify(d.current)}`).join('; ') || 'fingerprints differ'}`,
    )
  if (context.badLines.length > 0) {
    out.push(`${context.badLines.length} bad line(s) excluded from the history (--strict makes them fatal):`)
    for (const b of context.badLines.slice(0, 50)) out.push(`  ${b.file}:${b.line}: ${b.reason}`)
    if (context.badLines.length > 50) out.push(`  … and ${context.badLines.length - 50} more`)
  }
  for (const x of c.cases.filter((y) => y.status === 'inconclusive'))
    out.push(`Inconclusive \`${caseName(x)}\`: ${x.reason}`)
  for (const x of c.cases.filter((y) => y.status === 'not_judged'))
    out.push(`Not judged \`${caseName(x)}\`: ${x.reason}`)
  const single = c.cases.filter((x) => x.intervals !== null && x.withinProcessOnly).length
  if (single > 0)
    out.push(
      `${single} case(s) have one process on a side: their intervals hold within-process noise only, not the variance between processes (\`pnpm bench -- --processes 2\` or more measures it)`,
    )
  return out
}

function busyLine(c: Comparison): string {
  const worst = Math.max(...c.cases.map((x) => x.current?.otherCpuCores ?? 0))
  return `⚠️ Busy machine: other processes took up to ${worst.toFixed(2)} cores while this run measured; its verdicts are withheld (--judge-busy judges anyway)`
}

function slower(r: CaseComparison): string {
  return r.reason
}

function faster(r: CaseComparison): string {
  const b = r.baseline!.p50Ms
  const c = r.current!.p50Ms
  const factor = b / c
  const how =
    factor >= 2
      ? `${factor >= 10 ? factor.toFixed(0) : factor.toFixed(1)}x faster than baseline`
      : `${((1 - c / b) * 100).toFixed(1)}% faster than baseline`
  return `${how} (p50 ${formatMs(b)} → ${formatMs(c)})`
}

function memoryBullet(cases: CaseComparison[]): string | null {
  const changes = cases
    .filter((x) => x.rssPeak.changePct !== null && x.baseline !== null && x.current !== null)
    .map((x) => ({ x, pct: x.rssPeak.changePct! }))
  if (changes.length === 0) return null
  const sorted = changes.map((c) => c.pct).sort((a, b) => a - b)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!
  const largest = changes.reduce((m, c) => (Math.abs(c.pct) > Math.abs(m.pct) ? c : m))
  const peakB = Math.max(...changes.map((c) => c.x.rssPeak.baseline!))
  const peakC = Math.max(...changes.map((c) => c.x.rssPeak.current!))
  const head = `🧠 Memory: peak RSS ${formatBytes(peakB)} → ${formatBytes(peakC)} (largest case), median change ${formatChange(median) || '±0%'}`
  return Math.abs(largest.pct) < 0.05
    ? `${head}; no case changed`
    : `${head}; largest change ${formatChange(largest.pct)} in \`${caseName(largest.x)}\``
}

function names(cases: CaseComparison[]): string {
  const shown = cases.slice(0, NAMED).map((x) => `\`${caseName(x)}\``)
  return cases.length > NAMED ? `${shown.join(', ')} and ${cases.length - NAMED} more` : shown.join(', ')
}
