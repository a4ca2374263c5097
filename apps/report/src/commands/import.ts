import { join, relative, resolve } from 'node:path'
import { IMPORT_FORMATS } from '@ttapi/bench'
import { UsageError } from '../errors.ts'
import { importResults } from '../import/import-results.ts'
import { COMMON_OPTIONS, findWorkspaceRoot, parse } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report import --help`. */
export const IMPORT_USAGE: string = `Usage: report import --from FORMAT FILE [--package NAME] [--machine NAME] [--label L]
                     [--history DIR]
  Appends another harness's results to the history as one run (benchmarks/<date>_<label>.ndjson),
  one ttapi.bench/v2 record per benchmark, validated; a malformed file appends nothing (exit 2).
  FORMAT: ${IMPORT_FORMATS.join(', ')} (aliases benny, benchmark.js, gbench).
  FILE: the tool's JSON (vitest --outputJson, hyperfine --export-json, Google Benchmark
  --benchmark_out, pytest-benchmark --benchmark-json, benny save, mitata format json,
  tinybench/benchmark.js results as JSON), go test -bench text, or criterion's target/criterion.
  Raw samples are kept where the format has them; otherwise the tool's statistics, marked
  "summary", and the report judges those by their mean and says so.
  --package defaults to the format, --machine to this machine, --label to import-<format>.
`

/** `report import`: another tool's output into the history. */
export function importCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...COMMON_OPTIONS,
      from: { type: 'string' },
      package: { type: 'string' },
      machine: { type: 'string' },
      label: { type: 'string' },
    },
    true,
  )
  if (values.help) {
    io.stdout(IMPORT_USAGE)
    return Promise.resolve(0)
  }
  if (values.from === undefined)
    throw new UsageError('report import: --from FORMAT is required; see `report import --help`')
  if (positionals.length !== 1)
    throw new UsageError(
      `report import: expected one FILE after the options, got ${positionals.length}; see \`report import --help\``,
    )
  const root = findWorkspaceRoot(io.cwd)
  const historyDir = values.history === undefined ? join(root, 'benchmarks') : resolve(io.cwd, values.history)
  const result = importResults({
    from: values.from,
    file: resolve(io.cwd, positionals[0]!),
    historyDir,
    package: values.package,
    machine: values.machine,
    label: values.label,
  })
  const raw = result.records.filter((r) => r.imported?.samples === 'raw').length
  const first = result.records[0]!
  io.stdout(
    `report import: ${result.records.length} record(s) from ${result.tool ?? result.format} ` +
      `(${raw} with raw samples, ${result.records.length - raw} summary only) appended to ` +
      `${relative(io.cwd, result.file) || result.file} as run ${first.run.id} (label ${first.run.label}, machine ${first.machine.name})\n`,
  )
  return Promise.resolve(0)
}
