import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpuProfileFileName, topSelfTime } from '@ttapi/bench'
import type { ProfileFunction } from '@ttapi/bench'
import type { HtmlProfileComparison } from './html-report.ts'
import type { Comparison } from './types.ts'

/** Profile comparisons, and the profile files that could not be read (named, with the reason). */
export interface ProfileComparisons {
  comparisons: HtmlProfileComparison[]
  problems: string[]
}

/**
 * Side by side, per case, the top functions by self time of the baseline and current runs, from the
 * harness's `--cpu-prof` files (`<profiles>/<suite>_<case>_<runId>.cpuprofile`). Cases without a
 * profile on both sides are left out; an unreadable profile is listed in `problems` and the others go on.
 */
export function profileComparisons(dir: string, comparison: Comparison, top = 10): ProfileComparisons {
  const out: HtmlProfileComparison[] = []
  const problems: string[] = []
  if (!comparison.baseline || !existsSync(dir)) return { comparisons: out, problems }
  const read = (file: string): ProfileFunction[] | null => {
    try {
      return topSelfTime(JSON.parse(readFileSync(file, 'utf8')), top)
    } catch (error) {
      problems.push(`profile ${file} left out: ${(error as Error).message}`)
      return null
    }
  }
  for (const c of comparison.cases) {
    const base = join(dir, cpuProfileFileName(c.suite, c.case, comparison.baseline.id))
    const cur = join(dir, cpuProfileFileName(c.suite, c.case, comparison.current.id))
    if (!existsSync(base) || !existsSync(cur)) continue
    const b = read(base)
    const k = read(cur)
    if (!b || !k) continue
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
  return { comparisons: out, problems }
}
