import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { AffectedSelection } from '../affected-packages.ts'
import { UsageError } from '../errors.ts'
import { gateComment } from '../gate-comment.ts'
import { parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

export const GATE_COMMENT_USAGE = `Usage: report gate-comment --affected FILE [--exit-code N] [--report FILE] [--log FILE] --out FILE
  Writes the benchmark gate's PR comment: the verdict (no regression / confirmed regression / tool
  error, from the exit code of \`report compare\`; no --exit-code: nothing was benched), the packages
  benched and why (from \`report affected --out\`), then the report or the tool's error output.
`

const read = (cwd: string, file: string | undefined): string | null =>
  file !== undefined && existsSync(resolve(cwd, file)) ? readFileSync(resolve(cwd, file), 'utf8') : null

/** `report gate-comment`: compose the gate's PR comment and check-run summary. */
export function gateCommentCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      affected: { type: 'string' },
      'exit-code': { type: 'string' },
      report: { type: 'string' },
      log: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    false,
  )
  if (values.help) {
    io.stdout(GATE_COMMENT_USAGE)
    return Promise.resolve(0)
  }
  const selectionText = read(io.cwd, values.affected)
  if (selectionText === null)
    throw new UsageError(`report: gate-comment needs --affected FILE (from report affected --out)`)
  if (!values.out) throw new UsageError('report: gate-comment needs --out FILE')
  const raw = values['exit-code']
  const exitCode = raw === undefined || raw === '' ? null : Number(raw)
  if (exitCode !== null && (!Number.isInteger(exitCode) || exitCode < 0))
    throw new UsageError(`report: expected --exit-code to be the compare step's exit code, got ${JSON.stringify(raw)}`)
  const outcome = gateComment({
    exitCode,
    selection: JSON.parse(selectionText) as AffectedSelection,
    report: read(io.cwd, values.report),
    log: read(io.cwd, values.log),
  })
  writeFileSync(resolve(io.cwd, values.out), outcome.body)
  io.stdout(`${outcome.title}\n`)
  return Promise.resolve(0)
}
