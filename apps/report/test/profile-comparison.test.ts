import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { profileComparisons } from '../src/profile-comparison.ts'
import type { Comparison } from '../src/types.ts'
import { tempDir } from './_runs.ts'

/** Writes a real V8 profile of a script that spends its time in `onlyBase` and/or `onlyHead`. */
function profile(dir: string, name: string, fns: string[]): void {
  const body = fns
    .map(
      (f) =>
        `function ${f}(){let x=0;const end=Date.now()+250;while(Date.now()<end)for(let i=0;i<1e4;i++)x+=Math.sqrt(i);return x}`,
    )
    .join('\n')
  const script = join(dir, `${name}.js`)
  writeFileSync(script, `${body}\n${fns.map((f) => `${f}()`).join(';')}\n`)
  execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', `${name}.cpuprofile`, script])
}

function comparison(baseline: string, current: string): Comparison {
  return {
    baseline: { id: baseline },
    current: { id: current },
    cases: [
      { package: '@t/p', suite: 's', case: 'hot' },
      { package: '@t/p', suite: 's', case: 'no_profile' },
    ],
  } as unknown as Comparison
}

describe('profileComparisons', () => {
  it('puts each case’s top functions of both runs side by side, from real V8 profiles', () => {
    const dir = join(tempDir(), 'profiles')
    mkdirSync(dir)
    profile(dir, 's_hot_runA', ['sharedWork'])
    profile(dir, 's_hot_runB', ['sharedWork', 'newHotSpot'])
    const { comparisons, problems } = profileComparisons(dir, comparison('runA', 'runB'))
    expect(problems).toEqual([])
    // The case without profiles is left out.
    expect(comparisons.map((c) => c.case)).toEqual(['@t/p/s/hot'])
    const rows = comparisons[0]!.rows
    const shared = rows.find((r) => r.fn.startsWith('sharedWork'))!
    const added = rows.find((r) => r.fn.startsWith('newHotSpot'))!
    // The baseline spent nearly all its time in sharedWork; the current run about half in each.
    expect(shared.baselinePct).toBeGreaterThan(70)
    expect(shared.currentPct).toBeGreaterThan(30)
    expect(shared.currentPct).toBeLessThan(70)
    expect(added.baselinePct).toBeNull()
    expect(added.currentPct).toBeGreaterThan(30)
  })

  it('names an unreadable profile and keeps the others', () => {
    const dir = join(tempDir(), 'profiles')
    mkdirSync(dir)
    profile(dir, 's_hot_runA', ['sharedWork'])
    writeFileSync(join(dir, 's_hot_runC.cpuprofile'), '{"nodes": [')
    const { comparisons, problems } = profileComparisons(dir, comparison('runA', 'runC'))
    expect(comparisons).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('s_hot_runC.cpuprofile')
  })

  it('returns nothing without a baseline or a profiles directory', () => {
    expect(profileComparisons('/nonexistent/profiles', comparison('a', 'b'))).toEqual({ comparisons: [], problems: [] })
  })
})
