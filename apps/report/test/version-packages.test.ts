import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRandom } from '../src/_random.ts'
import { REALISTIC_NOISE, syntheticRecord, syntheticSamples } from '../src/_synthetic.ts'
import { versionPackages } from '../src/version-packages.ts'
import { tempDir } from './_runs.ts'

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
): void {
  const rnd = createRandom(id.length * 7919 + day.charCodeAt(9))
  const run = { id, label: 'main', startedAt: `${day}T10:00:00.000Z`, commit }
  const lines = (['parse', 'write'] as const).map((c) =>
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

describe('version-packages', () => {
  it('writes Performance sections across two releases in a real git repository', async () => {
    const root = tempDir('ttapi-release-')
    mkdirSync(join(root, 'packages', 'lib'), { recursive: true })
    mkdirSync(join(root, '.changeset'))
    mkdirSync(join(root, 'benchmarks'))
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'demo', private: true }))
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
    writeFileSync(
      join(root, 'packages', 'lib', 'package.json'),
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

    // Release 1: the first measured release.
    recordRun(root, 'run-r1', '2026-10-01', 'c0ffee1', { parse: 1, write: 1 })
    writeFileSync(join(root, '.changeset', 'first.md'), "---\n'@demo/lib': minor\n---\n\nFirst release.\n")
    const first = await versionPackages(root, { changesetBin: CHANGESET })
    expect(first).toEqual([{ name: '@demo/lib', from: '0.1.0', to: '0.2.0', baselineRun: null, currentRun: 'run-r1' }])
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
      { name: '@demo/lib', from: '0.2.0', to: '0.2.1', baselineRun: 'run-r1', currentRun: 'run-r2' },
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
})
