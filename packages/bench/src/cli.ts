// `ttapi-bench` entry point: the only place that catches everything and picks exit codes
// (0 ok, 1 a case or the --then command failed or an internal error, 2 usage error; never a stack trace
// unless TTAPI_DEBUG=1).
import { spawnSync } from 'node:child_process'
import { parseRunArgs, USAGE } from './_parse-args.ts'
import { BenchError, BenchUsageError } from './errors.ts'
import { releaseHeldLocks } from './file-lock.ts'
import { overridesFromEnv, processesFor } from './profiles.ts'
import { parseInject } from './inject.ts'
import { runBenchmarks } from './run-benchmarks.ts'

async function main(argv: string[]): Promise<number> {
  const args = parseRunArgs(argv, process.env)
  if (args.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  // Surface env mistakes as usage errors before anything runs.
  overridesFromEnv(process.env)
  parseInject(process.env['BENCH_INJECT'])
  processesFor(args.profile, args.processes, process.env)
  const result = await runBenchmarks({
    cwd: process.cwd(),
    all: args.all,
    filter: args.filter,
    profile: args.profile,
    label: args.label,
    cpuProf: args.cpuProf,
    processes: args.processes,
  })
  let code = result.failed.length > 0 ? 1 : 0
  if (args.then !== undefined) {
    process.stdout.write(`\nbench: then: ${args.then}\n`)
    const r = spawnSync(args.then, {
      shell: true,
      stdio: 'inherit',
      cwd: result.workspaceRoot,
      env: { ...process.env, TTAPI_BENCH_RUN_ID: result.runId, TTAPI_BENCH_LABEL: result.label },
    })
    if (r.status !== 0) {
      process.stderr.write(
        `bench: --then command failed (${r.signal ? `signal ${r.signal}` : `exit ${String(r.status)}`}): ${args.then}\n`,
      )
      code = 1
    }
    if (result.failed.length > 0) {
      process.stderr.write(
        `bench: ${result.failed.length} case(s) failed: ${result.failed.map((f) => `${f.suite}/${f.case}`).join(', ')}\n`,
      )
    }
  }
  return code
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    releaseHeldLocks()
    process.exit(sig === 'SIGINT' ? 130 : 143)
  })
}

// process.exit, not exitCode: a bench file imported for planning may leave a timer or server open.
main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code)
  },
  (error: unknown) => {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 2
    } else if (error instanceof BenchError) {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 1
    } else {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
      const stack =
        process.env['TTAPI_DEBUG'] === '1' && error instanceof Error
          ? `\n${error.stack}`
          : ' (TTAPI_DEBUG=1 shows the stack)'
      process.stderr.write(`bench: internal error: ${message}${stack}\n`)
      process.exitCode = 1
    }
  },
)
