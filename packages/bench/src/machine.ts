import { createHash } from 'node:crypto'
import { BenchUsageError } from './errors.ts'
import type { EnvInfo, MachineInfo } from './types.ts'

const GIB = 1024 ** 3

/** `Intel(R)  Xeon(R)  Processor` → `Intel Xeon Processor`: the CPU model as people write it. */
function cpuName(model: string | null): string {
  if (model === null || model.trim() === '') return 'unknown CPU'
  return model
    .replace(/\((R|TM|tm)\)/g, '')
    .replace(/\s+CPU\b/, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * The machine a record ran on. `BENCH_MACHINE` names it when set (a dedicated runner, say
 * `ci-runner-a`); otherwise the id hashes the hardware and OS facts that change what a benchmark
 * measures (os, arch, CPU model, cores, memory rounded to GiB) and nothing that changes between
 * sessions on the same hardware (kernel release, Node, hostname). Two VMs of one instance type share
 * an id: they are the same testbed.
 *
 * @param env - Machine facts of the run (`captureEnv`).
 * @param processEnv - Environment holding `BENCH_MACHINE`. @default process.env
 * @returns Id, readable name and where they came from.
 * @throws BenchUsageError when `BENCH_MACHINE` holds characters outside `[A-Za-z0-9._-]`.
 * @example machineOf(captureEnv(null)).name // 'AMD EPYC ×2, 24 GiB, linux x64'
 */
export function machineOf(env: EnvInfo, processEnv: NodeJS.ProcessEnv = process.env): MachineInfo {
  const named = processEnv['BENCH_MACHINE']
  if (named !== undefined && named !== '') {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(named))
      throw new BenchUsageError(
        `bench: Expected \`BENCH_MACHINE\` to be 1-64 characters of [A-Za-z0-9._-], got \`${named}\``,
      )
    return { id: named, name: named, source: 'env' }
  }
  const memGiB = env.mem_bytes === null ? null : Math.round(env.mem_bytes / GIB)
  const facts = [env.os, env.arch, env.cpu_model?.replace(/\s+/g, ' ').trim() ?? null, env.cores, memGiB]
  const id = `hw-${createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, 12)}`
  const cores = env.cores === null ? '' : ` ×${env.cores}`
  const mem = memGiB === null ? '' : `, ${memGiB} GiB`
  return {
    id,
    name: `${cpuName(env.cpu_model)}${cores}${mem}, ${env.os ?? '?'} ${env.arch ?? '?'}`,
    source: 'hardware',
  }
}
