import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cpuProfileFileName, topSelfTime } from '@ttapi/bench'
import type { ProfileFunction } from '@ttapi/bench'
import { flameSvg, flameTree } from './flame-graph.ts'
import type { FlameNode } from './flame-graph.ts'
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
  const read = (file: string): { top: ProfileFunction[]; tree: FlameNode } | null => {
    try {
      const profile: unknown = JSON.parse(readFileSync(file, 'utf8'))
      return { top: topSelfTime(profile, top), tree: flameTree(profile) }
    } catch (error) {
      problems.push(`profile ${file} left out: ${(error as Error).message}`)
      return null
    }
  }
  for (const c of comparison.cases) {
    const base = join(dir, cpuProfileFileName(c.suite, c.case, comparison.baseline.id))
    const cur = join(dir, cpuProfileFileName(c.suite, c.case, comparison.current.id))
    if (!existsSync(base) || !existsSync(cur)) continue
    const bp = read(base)
    const kp = read(cur)
    if (!bp || !kp) continue
    // A function is its name and its source-mapped file:line: two anonymous functions are two rows.
    const id = (f: ProfileFunction): string => `${f.name} ${shortLocation(f.location)}`.trim()
    const b = bp.top
    const k = kp.top
    // The same function on the other side: same name and place, else the only one of that name (the
    // two sides may run from different checkouts, so their paths differ).
    const twin = (f: ProfileFunction, other: ProfileFunction[]): ProfileFunction | undefined =>
      other.find((g) => id(g) === id(f)) ??
      (other.filter((g) => g.name === f.name).length === 1 ? other.find((g) => g.name === f.name) : undefined)
    const rows: HtmlProfileComparison['rows'] = k.map((f) => ({
      fn: id(f),
      baselinePct: twin(f, b)?.pct ?? null,
      currentPct: f.pct,
    }))
    for (const f of b) if (twin(f, k) === undefined) rows.push({ fn: id(f), baselinePct: f.pct, currentPct: null })
    out.push({
      case: `${c.package}/${c.suite}/${c.case}`,
      rows,
      flame: {
        baseline: flameSvg(bp.tree, { title: `baseline profile of ${c.case}` }),
        current: flameSvg(kp.tree, { title: `current profile of ${c.case}` }),
        diff: flameSvg(kp.tree, { baseline: bp.tree, title: `change of ${c.case}'s profile` }),
      },
    })
  }
  return { comparisons: out, problems }
}

/** `/abs/path/packages/cache/src/ttl-cache.ts:41:7` → `cache/src/ttl-cache.ts:41`. */
function shortLocation(location: string): string {
  if (location === '') return ''
  const m = /^(.*):(\d+):\d+$/.exec(location)
  const file = m ? m[1]! : location
  const line = m ? `:${m[2]}` : ''
  return `${file.split('/').slice(-3).join('/')}${line}`
}
