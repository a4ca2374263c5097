// `changeset version`, then a `### Performance` section under each bumped package's new version heading
// in its CHANGELOG.md (that package's cases, the previous release's run vs the current one, with verdicts;
// only significant changes listed). The command line is `report version-packages` (commands/version-packages.ts).
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findAcknowledgement, readAcknowledgedRegressions } from './acknowledged-regressions.ts'
import { readWorkspace } from './affected-packages.ts'
import { formatPerformanceSection, insertPerformanceSection, lastReleaseRun } from './changelog-performance.ts'
import { compareRuns } from './compare-runs.ts'
import { loadConfig } from './config.ts'
import { ReportError } from './errors.ts'
import { loadHistory } from './load-history.ts'
import { pickReleaseRuns } from './release-runs.ts'
import { selectRuns } from './select-runs.ts'
import type { Run } from './types.ts'

interface WorkspacePackage {
  name: string
  dir: string
  version: string
}

/** The versioned packages of the workspace, found through `pnpm-workspace.yaml`'s globs. */
function workspacePackages(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = []
  for (const p of readWorkspace(root)) {
    const dir = join(root, p.dir)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }
    if (pkg.version) out.push({ name: p.name, dir, version: pkg.version })
  }
  return out
}

/** What {@link versionPackages} did per bumped package. */
export interface VersionedPackage {
  name: string
  from: string
  to: string
  /** The run the Performance section compares against, or null (first release, nothing comparable). */
  baselineRun: string | null
  /** The release's run, or null when no full run of the package exists. */
  currentRun: string | null
  /** The machine both runs were measured on, or null. */
  machine: string | null
}

/**
 * Runs `changeset version` in `root`, then writes the Performance sections.
 * @param options.changesetBin - the changeset CLI to run. @default the workspace's `changeset`
 * @param options.current - run selector of the release's run. @default each package's newest full run on the machine
 * @param options.machine - the release machine's id. @default `BENCH_RELEASE_MACHINE`, else the previous release run's machine
 */
export async function versionPackages(
  root: string,
  options: { changesetBin?: string; current?: string; history?: string; machine?: string } = {},
): Promise<VersionedPackage[]> {
  // Read the acknowledgements first: `changeset version` deletes the changesets it consumes.
  const acks = readAcknowledgedRegressions(join(root, '.changeset'))
  const before = new Map(workspacePackages(root).map((p) => [p.name, p.version]))
  const bin = options.changesetBin ?? join(root, 'node_modules', '.bin', 'changeset')
  const r = spawnSync(bin, ['version'], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0)
    throw new ReportError(
      'REPORT_CHANGESET',
      `version-packages: changeset version failed: ${(r.stderr || r.stdout).trim()}`,
    )
  const bumped = workspacePackages(root).filter((p) => before.get(p.name) !== p.version)
  if (bumped.length === 0) return []
  const history = await loadHistory(options.history ?? join(root, 'benchmarks'))
  // An explicit --current pins the release run (and its machine); otherwise each package's newest
  // full run on the release machine is its release run.
  const pinned = options.current === undefined ? null : selectRuns(history, { current: options.current }).current
  const runs = pinned ? history.runs.filter((r) => r.startedAt <= pinned.startedAt) : history.runs
  const machine = pinned?.machine.id ?? (options.machine || undefined)
  const config = loadConfig(root)
  const done: VersionedPackage[] = []
  for (const p of bumped) {
    const file = join(p.dir, 'CHANGELOG.md')
    const changelog = readFileSync(file, 'utf8')
    const previousId = lastReleaseRun(changelog)
    const pick = pickReleaseRuns(runs, p.name, { previousRunId: previousId, machine })
    const current = pick.current
    const baseline = pick.baseline
    const mine = (run: Run): Run => ({ ...run, records: run.records.filter((x) => x.record.package === p.name) })
    let section: string
    if (current === null) {
      // No marker: the next release measures from scratch rather than against a run that never was.
      section = `### Performance\n\nNot measured: the history holds no full run of ${p.name} labelled main${machine ? ` on ${machine}` : ''}.`
    } else {
      const comparison = baseline ? compareRuns(mine(baseline), mine(current), { config }) : null
      const verdicts = new Set(['improved', 'regressed', 'unchanged', 'inconclusive'])
      section = formatPerformanceSection({
        currentRun: current.id,
        baselineRun: baseline?.id ?? null,
        baselineLabel: baseline
          ? `${baseline.label} ${baseline.date}${baseline.commit ? ` ${baseline.commit.slice(0, 7)}` : ''}`
          : null,
        note: pick.note,
        judged: comparison?.cases.filter((c) => verdicts.has(c.status)).length ?? 0,
        lines: (comparison?.cases ?? [])
          .filter((c) => c.status === 'improved' || c.status === 'regressed')
          .map((c) => ({
            suite: c.suite,
            case: c.case,
            verdict: c.status as 'improved' | 'regressed',
            ratio: c.current!.p50Ms / c.baseline!.p50Ms,
            accepted:
              c.status === 'regressed' ? findAcknowledgement(acks, c.package, c.suite, c.case)?.reason : undefined,
          })),
      })
    }
    writeFileSync(file, insertPerformanceSection(changelog, p.version, section))
    done.push({
      name: p.name,
      from: before.get(p.name) ?? '?',
      to: p.version,
      baselineRun: baseline?.id ?? null,
      currentRun: current?.id ?? null,
      machine: pick.machine,
    })
  }
  return done
}
