import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import { formatPerformanceSection } from '../src/changelog-performance.ts'
import { main } from '../src/cli.ts'
import { pickReleaseRuns } from '../src/release-runs.ts'
import { versionPackages } from '../src/version-packages.ts'
import { makeRun, tempDir } from './_runs.ts'

const CHANGESET = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'changeset')

function sh(cwd: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`)
}

/** Appends one run of the two cases of @demo/lib, with `factor` scaling each case's latency. */
function recordRun(
  root: string,
  id: string,
  day: string,
  commit: string,
  factors: { parse: number; write: number },
  where: { machine?: string; filter?: string; hour?: string } = {},
): void {
  const rnd = createRandom(id.length * 7919 + day.charCodeAt(9))
  const run = {
    id,
    label: 'main',
    startedAt: `${day}T${where.hour ?? '10'}:00:00.000Z`,
    commit,
    machine: where.machine,
    filter: where.filter,
  }
  const cases = where.filter ? (['parse'] as const) : (['parse', 'write'] as const)
  const lines = cases.map((c) =>
    JSON.stringify(
      syntheticRecord(run, {
        package: '@demo/lib',
        suite: 'lib',
        case: c,
        samples: syntheticSamples(rnd, 40, { ...REALISTIC_NOISE, sigma: 0.03, factor: factors[c] }),
      }),
    ),
  )
  writeFileSync(join(root, 'benchmarks', `${day}_main.ndjson`), `${lines.join('\n')}\n`, { flag: 'a' })
}

/** A git repository whose workspace (`pnpm-workspace.yaml`: `<group>/*`) holds `@demo/lib` in `<group>/lib`. */
function demoRepo(group = 'packages'): string {
  const root = tempDir('ttapi-release-')
  mkdirSync(join(root, group, 'lib'), { recursive: true })
  mkdirSync(join(root, '.changeset'))
  mkdirSync(join(root, 'benchmarks'))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'demo', private: true }))
  writeFileSync(join(root, 'pnpm-workspace.yaml'), `packages:\n  - ${group}/*\n`)
  writeFileSync(
    join(root, group, 'lib', 'package.json'),
    JSON.stringify({ name: '@demo/lib', version: '0.1.0', private: true }),
  )
  writeFileSync(
    join(root, '.changeset', 'config.json'),
    JSON.stringify({
      changelog: '@changesets/cli/changelog',
      commit: false,
      access: 'restricted',
      baseBranch: 'main',
      privatePackages: { version: true, tag: false },
    }),
  )
  sh(root, 'git', ['init', '-q', '-b', 'main'])
  sh(root, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init'])
  return root
}

describe('version-packages', () => {
  it("finds the packages through pnpm-workspace.yaml's globs, not a fixed list of folders", async () => {
    const root = demoRepo('libs')
    recordRun(root, 'run-r1', '2026-10-01', 'c0ffee1', { parse: 1, write: 1 })
    writeFileSync(join(root, '.changeset', 'first.md'), "---\n'@demo/lib': minor\n---\n\nFirst release.\n")
    const done = await versionPackages(root, { changesetBin: CHANGESET })
    expect(done.map((d) => [d.name, d.from, d.to, d.currentRun])).toEqual([['@demo/lib', '0.1.0', '0.2.0', 'run-r1']])
    expect(readFileSync(join(root, 'libs', 'lib', 'CHANGELOG.md'), 'utf8')).toMatch(/## 0\.2\.0\n\n### Performance\n/)
  })

  it('is the `report version-packages` command, which the root `version-packages` script runs', async () => {
    const scripts = (
      JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>
      }
    ).scripts
    expect(scripts['version-packages']).toBe('tsx apps/report/src/cli.ts version-packages')
    const out: string[] = []
    const io = { stdout: (t: string) => void out.push(t), stderr: () => {}, cwd: tempDir('ttapi-vp-'), color: false }
    expect(await main(['version-packages', '--help'], io)).toBe(0)
    expect(out.join('')).toMatch(/^Usage: pnpm version-packages \[--current SEL\]/)
    out.length = 0
    expect(await main(['--help'], io)).toBe(0)
    expect(out.join('')).toMatch(/^ {2}version-packages {3}changeset version/m)
  })

  it('writes Performance sections across two releases in a real git repository', async () => {
    const root = demoRepo()

    // Release 1: the first measured release.
    recordRun(root, 'run-r1', '2026-10-01', 'c0ffee1', { parse: 1, write: 1 })
    writeFileSync(join(root, '.changeset', 'first.md'), "---\n'@demo/lib': minor\n---\n\nFirst release.\n")
    const first = await versionPackages(root, { changesetBin: CHANGESET })
    expect(first).toEqual([
      {
        name: '@demo/lib',
        from: '0.1.0',
        to: '0.2.0',
        baselineRun: null,
        currentRun: 'run-r1',
        machine: 'synthetic-epyc',
      },
    ])
    let log = readFileSync(join(root, 'packages', 'lib', 'CHANGELOG.md'), 'utf8')
    expect(log).toMatch(/## 0\.2\.0\n\n### Performance\n\n<!-- ttapi-run: run-r1 -->\n\nFirst release measured/)
    sh(root, 'git', ['add', '-A'])
    sh(root, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'release 0.2.0'])

    // History between releases: parse gets 2x faster, write 1.5x slower (accepted in the changeset).
    recordRun(root, 'run-mid', '2026-10-15', 'c0ffee2', { parse: 0.8, write: 1.2 })
    recordRun(root, 'run-r2', '2026-11-01', 'c0ffee3', { parse: 0.5, write: 1.5 })
    writeFileSync(
      join(root, '.changeset', 'second.md'),
      "---\n'@demo/lib': patch\n---\n\nSafer writes.\n\nAccept-Regression: lib/write: fsync before rename\n",
    )
    const second = await versionPackages(root, { changesetBin: CHANGESET })
    expect(second).toEqual([
      {
        name: '@demo/lib',
        from: '0.2.0',
        to: '0.2.1',
        baselineRun: 'run-r1',
        currentRun: 'run-r2',
        machine: 'synthetic-epyc',
      },
    ])
    log = readFileSync(join(root, 'packages', 'lib', 'CHANGELOG.md'), 'utf8')
    const v021 = log.slice(log.indexOf('## 0.2.1'), log.indexOf('## 0.2.0'))
    expect(v021).toContain("Compared with the previous release's run `run-r1` (main 2026-10-01 c0ffee1).")
    // Ratios are the injected factors (2x faster, 1.5x slower) within the 3% noise of the samples.
    expect(v021).toMatch(/- ✅ `lib\/parse`: (1\.9\d|2\.0\d)x faster \(p50\)/)
    expect(v021).toMatch(/- ⚠️ `lib\/write`: 1\.[45]\dx slower \(p50\) — accepted regression: fsync before rename/)
    expect(v021).toContain('<!-- ttapi-run: run-r2 -->')
    // Release 1's section is untouched.
    expect(log.slice(log.indexOf('## 0.2.0'))).toContain('<!-- ttapi-run: run-r1 -->')
  })
  it("compares against the previous release's full run on the same machine, never the newest run whatever it is", async () => {
    const root = demoRepo()
    // Release 1 on the release machine epyc-a: a full run, then (newer) a 1-case filtered run on
    // epyc-a and a full run on another machine. The release pins the full run on epyc-a.
    recordRun(root, 'run-a1', '2026-10-01', 'c0ffee1', { parse: 1, write: 1 }, { machine: 'epyc-a' })
    recordRun(
      root,
      'run-a1-filtered',
      '2026-10-01',
      'c0ffee1',
      { parse: 1, write: 1 },
      { machine: 'epyc-a', filter: '^lib/parse$', hour: '11' },
    )
    recordRun(root, 'run-b1', '2026-10-01', 'c0ffee1', { parse: 1, write: 1 }, { machine: 'xeon-b', hour: '12' })
    writeFileSync(join(root, '.changeset', 'first.md'), "---\n'@demo/lib': minor\n---\n\nFirst release.\n")
    const first = await versionPackages(root, { changesetBin: CHANGESET, machine: 'epyc-a' })
    expect(first).toEqual([
      { name: '@demo/lib', from: '0.1.0', to: '0.2.0', baselineRun: null, currentRun: 'run-a1', machine: 'epyc-a' },
    ])
    sh(root, 'git', ['add', '-A'])
    sh(root, 'git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'release 0.2.0'])

    // Release 2, without naming the machine: the previous release's run names it (epyc-a). The
    // newest runs are a filtered one on epyc-a and a full one on xeon-b; neither may be used.
    recordRun(root, 'run-a2', '2026-11-01', 'c0ffee3', { parse: 0.5, write: 1 }, { machine: 'epyc-a' })
    recordRun(
      root,
      'run-a2-filtered',
      '2026-11-01',
      'c0ffee3',
      { parse: 0.5, write: 1 },
      { machine: 'epyc-a', filter: '^lib/parse$', hour: '11' },
    )
    recordRun(root, 'run-b2', '2026-11-01', 'c0ffee3', { parse: 3, write: 3 }, { machine: 'xeon-b', hour: '12' })
    writeFileSync(join(root, '.changeset', 'second.md'), "---\n'@demo/lib': patch\n---\n\nFaster parse.\n")
    const second = await versionPackages(root, { changesetBin: CHANGESET })
    expect(second).toEqual([
      { name: '@demo/lib', from: '0.2.0', to: '0.2.1', baselineRun: 'run-a1', currentRun: 'run-a2', machine: 'epyc-a' },
    ])
    const log = readFileSync(join(root, 'packages', 'lib', 'CHANGELOG.md'), 'utf8')
    const v021 = log.slice(log.indexOf('## 0.2.1'), log.indexOf('## 0.2.0'))
    expect(v021).toContain('<!-- ttapi-run: run-a2 -->')
    expect(v021).toContain("Compared with the previous release's run `run-a1` (main 2026-10-01 c0ffee1).")
    // The injected 2x on parse, within the samples' 3% noise; write unchanged (not listed).
    expect(v021).toMatch(/- ✅ `lib\/parse`: (1\.9\d|2\.0\d)x faster \(p50\)/)
    expect(v021).not.toContain('lib/write')
    expect(v021).not.toContain('No significant performance change')
  })
})

describe('pickReleaseRuns', () => {
  const parse = (id: string, startedAt: string, where: { machine: string; filter?: string }) =>
    makeRun({ id, label: 'main', startedAt, commit: null, ...where }, [
      { package: '@demo/lib', suite: 'lib', case: 'parse', samples: [1, 1, 1] },
    ])
  const full1 = parse('full-1', '2026-10-01T10:00:00.000Z', { machine: 'a' })
  const filtered = parse('filtered', '2026-10-02T10:00:00.000Z', { machine: 'a', filter: '^lib/parse$' })
  const other = parse('other', '2026-10-03T10:00:00.000Z', { machine: 'b' })
  const full2 = parse('full-2', '2026-11-01T10:00:00.000Z', { machine: 'a' })
  const runs = [full1, filtered, other, full2]

  it('a previous release that pinned a filtered run is compared with the full run before it, and says so', () => {
    const pick = pickReleaseRuns(runs, '@demo/lib', { previousRunId: 'filtered' })
    expect([pick.current?.id, pick.baseline?.id, pick.machine]).toEqual(['full-2', 'full-1', 'a'])
    expect(pick.note).toBe(
      "The previous release's run `filtered` did not measure every case of @demo/lib; compared with `full-1`, the newest full run on this machine before it.",
    )
  })

  it('a previous release run on another machine is replaced by the release machine run before it', () => {
    const pick = pickReleaseRuns(runs, '@demo/lib', { previousRunId: 'other', machine: 'a' })
    expect([pick.current?.id, pick.baseline?.id]).toEqual(['full-2', 'full-1'])
    expect(pick.note).toContain('was measured on another machine (b)')
  })

  it('says when nothing new was measured since the previous release', () => {
    const pick = pickReleaseRuns([full1], '@demo/lib', { previousRunId: 'full-1' })
    expect(pick.baseline).toBeNull()
    expect(pick.note).toBe(
      "No full run of @demo/lib on this machine since the previous release's run `full-1`; nothing new to compare.",
    )
  })

  it('a Performance section with nothing judged does not claim "no significant change"', () => {
    const text = formatPerformanceSection({
      currentRun: 'x',
      baselineRun: 'y',
      baselineLabel: null,
      lines: [],
      judged: 0,
    })
    expect(text).toContain('No case could be judged')
    expect(text).not.toContain('No significant performance change')
  })
})
