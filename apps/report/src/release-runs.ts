import type { Run } from './types.ts'

/** The runs a package's release compares, and what the changelog should say about the choice. */
export interface ReleaseRuns {
  /** The release's run: the newest full run of the package on the release machine, or null. */
  current: Run | null
  /** The previous release's comparable run on the same machine, or null. */
  baseline: Run | null
  /** The release machine's id, or null when no run measured the package fully. */
  machine: string | null
  /** A sentence for the changelog when the comparison is not the plain one (no baseline, a substitute), else null. */
  note: string | null
}

/** Options of {@link pickReleaseRuns}. */
export interface PickReleaseRunsOptions {
  /** The run id the previous release's Performance section names, or null for a first release. */
  previousRunId: string | null
  /** The release machine's id. @default the previous release run's machine, else the newest full run's */
  machine?: string
  /** The label of the runs recorded on main. @default 'main' */
  label?: string
}

/**
 * Whether `run` measured every case of `pkg`: a v2 run selected the package without a `--filter`
 * (a filtered or other-package run is partial); a v1 run, which did not record its selection, holds
 * records of the package.
 * @param run - the run.
 * @param pkg - the package name.
 */
export function measuredFully(run: Run, pkg: string): boolean {
  if (!run.selectionKnown) return run.records.some((r) => r.record.package === pkg)
  return run.selections.some((s) => s.filter === null && s.packages.includes(pkg))
}

/**
 * Picks a package's release run and the run its changelog compares against. Only full runs of the
 * package (see {@link measuredFully}) labelled `main` on one machine count: never the newest run
 * whatever it is (a 2-case filtered run, another machine). The baseline is the previous release's
 * run when it qualifies, else the newest qualifying run that started no later than it (the run the
 * previous release would have pinned), with a note saying so.
 * @param runs - the history's runs, oldest first.
 * @param pkg - the package released.
 * @param options - the previous release's run and the machine.
 */
export function pickReleaseRuns(runs: readonly Run[], pkg: string, options: PickReleaseRunsOptions): ReleaseRuns {
  const label = options.label ?? 'main'
  const full = runs.filter((r) => r.label === label && measuredFully(r, pkg))
  const previous = options.previousRunId === null ? null : (runs.find((r) => r.id === options.previousRunId) ?? null)
  const machine = options.machine ?? previous?.machine.id ?? full.at(-1)?.machine.id ?? null
  if (machine === null) return { current: null, baseline: null, machine: null, note: null }
  const onMachine = full.filter((r) => r.machine.id === machine)
  const current = onMachine.at(-1) ?? null
  if (options.previousRunId === null) return { current, baseline: null, machine, note: null }
  if (previous === null)
    return {
      current,
      baseline: null,
      machine,
      note: `The previous release's run \`${options.previousRunId}\` is no longer in the history; nothing to compare.`,
    }
  let baseline: Run | null = null
  let note: string | null = null
  if (previous.machine.id === machine && measuredFully(previous, pkg)) baseline = previous
  else {
    baseline = onMachine.filter((r) => r.startedAt <= previous.startedAt).at(-1) ?? null
    const why =
      previous.machine.id !== machine
        ? `was measured on another machine (${previous.machine.name})`
        : `did not measure every case of ${pkg}`
    note =
      baseline === null
        ? `The previous release's run \`${previous.id}\` ${why}, and no full run of ${pkg} on this machine precedes it; nothing to compare.`
        : `The previous release's run \`${previous.id}\` ${why}; compared with \`${baseline.id}\`, the newest full run on this machine before it.`
  }
  if (baseline !== null && baseline === current)
    return {
      current,
      baseline: null,
      machine,
      note: `No full run of ${pkg} on this machine since the previous release's run \`${baseline.id}\`; nothing new to compare.`,
    }
  return { current, baseline, machine, note }
}
