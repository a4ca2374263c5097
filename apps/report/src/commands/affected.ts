import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { affectedPackages } from '../affected-packages.ts'
import { UsageError } from '../errors.ts'
import { findWorkspaceRoot, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

export const AFFECTED_USAGE = `Usage: report affected --base REF [--head REF] [--out FILE]
  The packages a pull request's benchmarks cover: those with a changed input (anything but test/ and
  *.md) since the merge base of REF and head, and every package depending on one. A change to
  packages/bench, apps/report or a root config file covers everything. Prints \`mode=all|some|none\`
  and \`filter=REGEX\` (the harness --filter; empty for all), ready for $GITHUB_OUTPUT; --out writes
  the selection as JSON (packages, why, suites) for \`report gate-comment\`.
`

/** `report affected`: the gate's package selection for a git range. */
export function affectedCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(AFFECTED_USAGE)
    return Promise.resolve(0)
  }
  if (!values.base) throw new UsageError('report: affected needs --base REF (e.g. origin/main)')
  const selection = affectedPackages(findWorkspaceRoot(io.cwd), values.base, values.head)
  if (values.out) writeFileSync(resolve(io.cwd, values.out), `${JSON.stringify(selection, null, 2)}\n`)
  io.stdout(`mode=${selection.mode}\nfilter=${selection.filter ?? ''}\n`)
  return Promise.resolve(0)
}
