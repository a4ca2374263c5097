#!/usr/bin/env node
// `pnpm version-packages`: `changeset version`, then a `### Performance` section under each bumped
// package's new version heading in its CHANGELOG.md (that package's cases, the previous release's run vs
// the current one, with verdicts; only significant changes listed).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { findAcknowledgement, readAcknowledgedRegressions } from './acknowledged-regressions.ts'
import { formatPerformanceSection, insertPerformanceSection, lastReleaseRun } from './changelog-performance.ts'
import { findWorkspaceRoot } from './commands/_common.ts'
import { compareRuns } from './compare-runs.ts'
import { loadConfig } from './config.ts'
import { internalError, ReportError, UsageError } from './errors.ts'
import { loadHistory } from './load-history.ts'
import { pickReleaseRuns } from './release-runs.ts'
import { selectRuns } from './select-runs.ts'
import type { Run } from './types.ts'

interface WorkspacePackage {
  name: string
  dir: string
  version: string
}

function workspacePackages(root: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = []
  for (const group of ['packages', 'apps']) {
    const base = join(root, group)
    if (!existsSync(base)) continue
    for (const d of readdirSync(base)) {
      const file = join(base, d, 'package.json')
      if (!existsSync(file)) continue
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name && pkg.version) out.push({ name: pkg.name, dir: join(base, d), version: pkg.version })
    }
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

/** `pnpm version-packages --help`. */
export const VERSION_PACKAGES_USAGE: string = `Usage: pnpm version-packages [--current SEL] [--history DIR]

Runs \`changeset version\` in the workspace root, then writes a \`### Performance\` section under each
bumped package's new version in its CHANGELOG.md: that package's cases, the previous release's run
against this one, significant changes only; \`Accept-Regression:\` lines of the consumed changesets
are listed with their reasons.

Options:
  --current SEL   the release's run: label, date, file, commit or run id (default: the newest run)
  --history DIR   the result history (default: <workspace root>/benchmarks)
  --machine ID    the release machine (default: $BENCH_RELEASE_MACHINE, else the previous release's)
  -h, --help      this text

Exit codes: 0 done (or nothing bumped), 1 internal error, 2 usage or input error (a malformed
Accept-Regression line, a failed \`changeset version\`, no history).
`

function parseCli(argv: string[]): {
  values: { current?: string; history?: string; machine?: string; help?: boolean }
} {
  try {
    return parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : argv,
      options: {
        current: { type: 'string' },
        history: { type: 'string' },
        machine: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    })
  } catch (error) {
    throw new UsageError(`version-packages: ${(error as Error).message}; see \`pnpm version-packages --help\``, {
      cause: error,
    })
  }
}

async function cli(argv: string[]): Promise<number> {
  try {
    const { values } = parseCli(argv)
    if (values.help === true) {
      process.stdout.write(VERSION_PACKAGES_USAGE)
      return 0
    }
    const root = findWorkspaceRoot(process.cwd())
    const done = await versionPackages(root, {
      current: values.current,
      history: values.history ? resolve(values.history) : undefined,
      machine: values.machine ?? process.env.BENCH_RELEASE_MACHINE,
    })
    if (done.length === 0) console.log('version-packages: no package was bumped')
    for (const d of done)
      console.log(
        `version-packages: ${d.name} ${d.from} -> ${d.to}: Performance of ${d.currentRun ?? 'no run'} vs ${d.baselineRun ?? 'nothing'}${d.machine ? ` on ${d.machine}` : ''}`,
      )
    return 0
  } catch (error) {
    if (error instanceof ReportError) {
      console.error(error.message)
      return 2
    }
    process.stderr.write(internalError('version-packages', error))
    return 1
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await cli(process.argv.slice(2))
}
