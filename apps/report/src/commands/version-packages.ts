import { resolve } from 'node:path'
import { versionPackages } from '../version-packages.ts'
import { findWorkspaceRoot, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report version-packages --help` (the root script `pnpm version-packages` runs this command). */
export const VERSION_PACKAGES_USAGE: string = `Usage: pnpm version-packages [--current SEL] [--history DIR]
       (= report version-packages)

Runs \`changeset version\` in the workspace root, then writes a \`### Performance\` section under each
bumped package's new version in its CHANGELOG.md: that package's cases, the previous release's run
against this one, significant changes only; \`Accept-Regression:\` lines of the consumed changesets
are listed with their reasons. The packages are those \`pnpm-workspace.yaml\` names.

Options:
  --current SEL   the release's run: label, date, file, commit or run id (default: the newest run)
  --history DIR   the result history (default: <workspace root>/benchmarks)
  --machine ID    the release machine (default: $BENCH_RELEASE_MACHINE, else the previous release's)
  -h, --help      this text

Exit codes: 0 done (or nothing bumped), 1 internal error, 2 usage or input error (a malformed
Accept-Regression line, a failed \`changeset version\`, no history).
`

/** `report version-packages`: `changeset version`, then the Performance sections; one line per bumped package. */
export async function versionPackagesCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      current: { type: 'string' },
      history: { type: 'string' },
      machine: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(VERSION_PACKAGES_USAGE)
    return 0
  }
  const done = await versionPackages(findWorkspaceRoot(io.cwd), {
    current: values.current,
    history: values.history === undefined ? undefined : resolve(io.cwd, values.history),
    machine: values.machine ?? process.env.BENCH_RELEASE_MACHINE,
  })
  if (done.length === 0) io.stdout('version-packages: no package was bumped\n')
  for (const d of done) {
    const on = d.machine ? ` on ${d.machine}` : ''
    io.stdout(
      `version-packages: ${d.name} ${d.from} -> ${d.to}: Performance of ${d.currentRun ?? 'no run'} vs ${d.baselineRun ?? 'nothing'}${on}\n`,
    )
  }
  return 0
}
