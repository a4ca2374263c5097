/**
 * Writing the `### Performance` section of a package's CHANGELOG.md. Each section carries a hidden
 * marker with the run it was measured from (`<!-- ttapi-run: ID -->`), so the next release compares
 * against exactly the run the previous release reported.
 */

const RUN_MARKER = /<!-- ttapi-run: ([^\s>]+) -->/

/** The run id the newest Performance section of a changelog was measured from, or null. */
export function lastReleaseRun(changelog: string): string | null {
  return RUN_MARKER.exec(changelog)?.[1] ?? null
}

/**
 * Inserts `section` (which starts with `### Performance`) right under the `## <version>` heading.
 * Replaces an existing Performance section of that version, so running twice is harmless.
 * @throws when the heading is absent (changeset version did not bump this package).
 */
export function insertPerformanceSection(changelog: string, version: string, section: string): string {
  const lines = changelog.split('\n')
  const at = lines.findIndex((l) => l.trim() === `## ${version}`)
  if (at < 0) throw new Error(`changelog: no "## ${version}" heading to put the Performance section under`)
  let end = at + 1
  while (end < lines.length && !lines[end]!.startsWith('## ')) end++
  const body = lines.slice(at + 1, end)
  // Drop a Performance section written by an earlier run for the same version.
  const start = body.findIndex((l) => l.trim() === '### Performance')
  if (start >= 0) {
    let stop = start + 1
    while (stop < body.length && !body[stop]!.startsWith('### ')) stop++
    body.splice(start, stop - start)
  }
  while (body.length && body[0]!.trim() === '') body.shift()
  const out = [...lines.slice(0, at + 1), '', ...section.trimEnd().split('\n'), '', ...body, ...lines.slice(end)]
  return out.join('\n')
}

/** One case's line in the Performance section. */
export interface PerformanceLine {
  suite: string
  case: string
  verdict: 'improved' | 'regressed' | 'unchanged' | 'inconclusive'
  /** p50 ratio current/baseline. */
  ratio: number
  /** Reason when a changeset accepted the regression. */
  accepted?: string
}

/** Formats the Performance section: only significant changes, or one line saying there were none. */
export function formatPerformanceSection(opts: {
  currentRun: string
  baselineRun: string | null
  baselineLabel: string | null
  lines: PerformanceLine[]
  /** Why the comparison is not the plain one (a substitute baseline, nothing to compare), or null. */
  note?: string | null
  /** Cases judged (a verdict on both sides); 0 says nothing was comparable instead of "no change". @default the lines' count */
  judged?: number
}): string {
  const out = ['### Performance', '', `<!-- ttapi-run: ${opts.currentRun} -->`]
  if (!opts.baselineRun) {
    out.push('', opts.note ?? `First release measured (run \`${opts.currentRun}\`); later releases compare against it.`)
    return out.join('\n')
  }
  const significant = opts.lines.filter((l) => l.verdict === 'improved' || l.verdict === 'regressed')
  out.push(
    '',
    `Compared with the previous release's run \`${opts.baselineRun}\`${opts.baselineLabel ? ` (${opts.baselineLabel})` : ''}.`,
    ...(opts.note ? ['', opts.note] : []),
    '',
  )
  if ((opts.judged ?? opts.lines.length) === 0) {
    out.push('No case could be judged: the two runs share no comparable case (machine, settings or cases differ).')
    return out.join('\n')
  }
  if (significant.length === 0) {
    out.push('No significant performance change.')
    return out.join('\n')
  }
  for (const l of significant) {
    const speed = l.ratio < 1 ? `${(1 / l.ratio).toFixed(2)}x faster` : `${l.ratio.toFixed(2)}x slower`
    const icon = l.verdict === 'improved' ? '✅' : l.accepted ? '⚠️' : '❌'
    out.push(
      `- ${icon} \`${l.suite}/${l.case}\`: ${speed} (p50)${l.accepted ? ` — accepted regression: ${l.accepted}` : ''}`,
    )
  }
  return out.join('\n')
}
