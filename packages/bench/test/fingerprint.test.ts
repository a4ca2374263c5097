import { describe, expect, it } from 'vitest'
import { captureEnv } from '../src/capture-env.ts'
import { fingerprint } from '../src/fingerprint.ts'
import { PROFILES } from '../src/profiles.ts'

describe('fingerprint', () => {
  const env = captureEnv('glibc.malloc.hugetlb=1')
  const config = PROFILES.quick
  it('is 16 hex chars and stable for the same machine and config', () => {
    const a = fingerprint(env, config)
    expect(a).toMatch(/^[0-9a-f]{16}$/)
    expect(fingerprint(captureEnv('glibc.malloc.hugetlb=1'), { ...PROFILES.quick })).toBe(a)
    // Key order of the inputs does not matter.
    const reordered = Object.fromEntries(Object.entries(env).reverse()) as typeof env
    expect(fingerprint(reordered, config)).toBe(a)
  })
  it('changes with the Node version, the CPU model, the tunables and the config', () => {
    const a = fingerprint(env, config)
    const changed = [
      fingerprint({ ...env, node: '22.0.0' }, config),
      fingerprint({ ...env, v8: '12.0' }, config),
      fingerprint({ ...env, cpu_model: 'AMD EPYC 7B13' }, config),
      fingerprint({ ...env, glibc_tunables: null }, config),
      fingerprint(env, PROFILES.full),
      fingerprint(env, { ...config, measurement_ms: 1000 }),
      fingerprint(env, { ...config, min_samples: 3 }),
      fingerprint(env, { ...config, warmup_ms: 0 }),
    ]
    for (const f of changed) expect(f).not.toBe(a)
    expect(new Set(changed).size).toBe(changed.length)
  })
})

describe('captureEnv', () => {
  it('reports this machine', () => {
    const e = captureEnv(null)
    expect(e.node).toBe(process.versions.node)
    expect(e.v8).toBe(process.versions.v8)
    expect(e.arch).toBe(process.arch)
    expect(e.cores).toBeGreaterThanOrEqual(1)
    expect(e.mem_bytes).toBeGreaterThan(0)
    expect(e.glibc_tunables).toBeNull()
    expect(typeof e.ci).toBe('boolean')
  })
})
