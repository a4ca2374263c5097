import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { topSelfTime } from '@ttapi/bench'
import type { HtmlProfileComparison } from './html-report.ts'
import type { Comparison } from './types.ts'

/**
 * Side by side, per case, the top functions by self time of the baseline and current runs, from the
 * harness's `--cpu-prof` files (`<profiles>/<suite>_<case>_<runId>.cpuprofile`). Cases without a
 * profile on both sides are left out.
 */
export function profileComparisons(dir: string, comparison: Comparison, top = 10): HtmlProfileComparison[] {
  if (!comparison.baseline || !existsSync(dir)) return []
  const out: HtmlProfileComparison[] = []
  for (const c of comparison.cases) {
    const base = join(dir, `${c.suite}_${c.case}_${comparison.baseline.id}.cpuprofile`)
    const cur = join(dir, `${c.suite}_${c.case}_${comparison.current.id}.cpuprofile`)
    if (!existsSync(base) || !existsSync(cur)) continue
    const b = topSelfTime(JSON.parse(readFileSync(base, 'utf8')), top)
    const k = topSelfTime(JSON.parse(readFileSync(cur, 'utf8')), top)
    const names = [...new Set([...k.map((f) => f.name), ...b.map((f) => f.name)])]
    out.push({
      case: `${c.package}/${c.suite}/${c.case}`,
      rows: names.map((fn) => ({
        fn,
        baselinePct: b.find((f) => f.name === fn)?.pct ?? null,
        currentPct: k.find((f) => f.name === fn)?.pct ?? null,
      })),
    })
  }
  return out
}
