import { createHash } from 'node:crypto'
import type { EnvInfo, RunConfig } from './types.ts'

/**
 * Short hash (16 hex chars of SHA-256) of the environment and measurement config. Equal
 * fingerprints mean the same machine, runtime and settings: only such runs compare cleanly.
 * Git facts are not part of it (they live in `run`). Keys are hashed in a fixed order.
 *
 * @param env - Machine facts.
 * @param config - Measurement settings.
 * @returns 16 lowercase hex characters.
 */
export function fingerprint(env: EnvInfo, config: RunConfig): string {
  const e: (keyof EnvInfo)[] = [
    'os',
    'os_release',
    'arch',
    'cpu_model',
    'cores',
    'mem_bytes',
    'node',
    'v8',
    'ci',
    'glibc_tunables',
  ]
  const c: (keyof RunConfig)[] = ['engine', 'warmup_ms', 'measurement_ms', 'min_samples', 'profile']
  const canonical = JSON.stringify([e.map((k) => [k, env[k]]), c.map((k) => [k, config[k]])])
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16)
}
