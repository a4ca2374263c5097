import { reportJsonSchema } from '../report-schema.ts'
import { emit, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report schema`: prints the JSON Schema of `--format json` (for validators and code generators). */
export function schemaCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    false,
  )
  if (values.help) io.stdout('Usage: report schema [--out FILE]\n')
  else emit(`${JSON.stringify(reportJsonSchema, null, 2)}\n`, values.out, io)
  return Promise.resolve(0)
}
