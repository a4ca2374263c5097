// The v2 record contract: machines, v1 lines read without loss, runs shared across invocations,
// the host load a case was measured under.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cpuSnapshot, hostLoadBetween } from '../src/host-load.ts'
import { machineOf } from '../src/machine.ts'
import { validateRecord } from '../src/record-schema.ts'
import { joinRunSession } from '../src/run-session.ts'
import { upgradeRecord } from '../src/upgrade-record.ts'
import type { BenchRecordV1, EnvInfo } from '../src/types.ts'

const v1 = JSON.parse(readFileSync(new URL('./fixtures/record-v1.json', import.meta.url), 'utf8')) as BenchRecordV1
const v2 = JSON.parse(readFileSync(new URL('./fixtures/record.json', import.meta.url), 'utf8')) as unknown

describe('machineOf', () => {
  const env: EnvInfo = { ...v1.env }
  it('derives a stable id from the hardware, not from the kernel, Node or tunables', () => {
    const a = machineOf(env, {})
    expect(a.id).toMatch(/^hw-[0-9a-f]{12}$/)
    expect(a.source).toBe('hardware')
    // The committed Intel runs' machine, as `report machines` lists it.
    expect(a.name).toBe('Intel Xeon Processor ×2, 24 GiB, linux x64')
    const patched = {
      ...env,
      os_release: '6.99.0',
      node: '22.0.0',
      v8: '12',
      glibc_tunables: null,
      mem_bytes: env.mem_bytes! - 30e6,
    }
    expect(machineOf(patched, {}).id).toBe(a.id)
    expect(machineOf({ ...env, cpu_model: 'AMD EPYC' }, {}).id).not.toBe(a.id)
    expect(machineOf({ ...env, cores: 4 }, {}).id).not.toBe(a.id)
  })

  it('takes BENCH_MACHINE as the id and name, and refuses one it cannot store', () => {
    expect(machineOf(env, { BENCH_MACHINE: 'ci-runner-a' })).toEqual({
      id: 'ci-runner-a',
      name: 'ci-runner-a',
      source: 'env',
    })
    expect(() => machineOf(env, { BENCH_MACHINE: 'my box' })).toThrow(/BENCH_MACHINE.*`my box`/)
  })
})

describe('v1 lines', () => {
  it('validate as v1 and read as v2 with every v1 field unchanged', () => {
    expect(validateRecord(v1)).toEqual({ ok: true })
    const up = upgradeRecord(structuredClone(v1))
    expect(validateRecord(up)).toEqual({ ok: true })
    const { schema: _s, run, ...rest } = v1
    const { schema, run: upRun, machine, processes, host, ...upRest } = up
    expect(schema).toBe('ttapi.bench/v2')
    // Allocations were not measured in v1: read as null, every other field unchanged.
    expect(upRest).toEqual({ ...rest, memory: { ...rest.memory, alloc_bytes_per_op: null } })
    expect({ ...upRun, selection: undefined }).toEqual({ ...run, selection: undefined })
    expect(machine).toEqual(machineOf(v1.env, {}))
    expect(processes).toEqual([
      {
        n: v1.samples_ms.length,
        window: v1.window,
        rss_peak_bytes: v1.memory.rss_peak_bytes,
        host: { other_cpu_cores: null, load1: null },
      },
    ])
    expect(host).toEqual({ other_cpu_cores: null, load1: null })
    expect(upRun.selection).toEqual({
      filter: `^${v1.suite}/${v1.case}$`,
      packages: [v1.package],
      profile: v1.config.profile,
      processes: 1,
    })
  })

  it('every committed line of benchmarks/ still validates', () => {
    const dir = new URL('../../../benchmarks/', import.meta.url)
    const files = readdirSync(dir).filter((f) => f.endsWith('.ndjson') && !f.includes('scratch'))
    let lines = 0
    for (const f of files)
      for (const line of readFileSync(new URL(f, dir), 'utf8')
        .split('\n')
        .filter((l) => l !== '')) {
        const value = JSON.parse(line) as BenchRecordV1
        expect(validateRecord(value), `${f}`).toEqual({ ok: true })
        expect(validateRecord(upgradeRecord(value))).toEqual({ ok: true })
        lines++
      }
    expect(lines).toBeGreaterThan(0)
  })

  it('a v2 record from a real run validates, and its processes add up to its samples', () => {
    expect(validateRecord(v2)).toEqual({ ok: true })
    const bad = structuredClone(v2) as { processes: { n: number }[] }
    bad.processes[0]!.n += 1
    expect(validateRecord(bad)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/processes: their n add up to/)],
    })
  })
})

describe('joinRunSession', () => {
  it('gives invocations that share BENCH_RUN_ID one run id and start time', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ttapi-session-'))
    const a = joinRunSession(dir, { BENCH_RUN_ID: 'ci-42' }, new Date('2026-12-07T10:00:00Z'))
    const b = joinRunSession(dir, { BENCH_RUN_ID: 'ci-42' }, new Date('2026-12-07T10:05:00Z'))
    expect(a).toEqual({ id: 'ci-42', startedAt: new Date('2026-12-07T10:00:00Z'), source: 'env' })
    expect(b).toEqual(a)
    const own = joinRunSession(dir, {}, new Date('2026-12-07T11:00:00Z'))
    expect(own.source).toBe('own')
    expect(own.id).toMatch(/^20261207T110000Z-[0-9a-f]{6}$/)
    expect(() => joinRunSession(dir, { BENCH_RUN_ID: 'a b' })).toThrow(/BENCH_RUN_ID/)
  })

  it('ties the jobs of one GitHub Actions run attempt together', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ttapi-session-'))
    const gh = { GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'bench' }
    const a = joinRunSession(dir, gh)
    expect(joinRunSession(dir, gh).id).toBe(a.id)
    expect(joinRunSession(dir, { ...gh, GITHUB_RUN_ATTEMPT: '2' }).id).not.toBe(a.id)
  })
})

describe('hostLoadBetween', () => {
  // Spins `ms` in a process started (a) as this process's child, or (b) by a shell that exits at once, so the
  // spinner is reparented away: not a descendant, another process's load.
  const spin = (ms: number, detached: boolean): Promise<void> => {
    const code = `const e = Date.now() + ${ms}; while (Date.now() < e);`
    const child = detached
      ? spawn('sh', ['-c', `"${process.execPath}" -e '${code}' >/dev/null 2>&1 &`], { stdio: 'ignore' })
      : spawn(process.execPath, ['-e', code], { stdio: 'ignore' })
    return new Promise((r) => child.on('close', () => r()))
  }
  const measure = async (detached: boolean): Promise<number> => {
    const done = spin(1500, detached)
    await new Promise((r) => setTimeout(r, 150))
    const a = cpuSnapshot()
    await new Promise((r) => setTimeout(r, 1000))
    const b = cpuSnapshot()
    await done
    await new Promise((r) => setTimeout(r, detached ? 500 : 0))
    return hostLoadBetween(a, b).other_cpu_cores!
  }

  it.skipIf(os.platform() !== 'linux')('reads about a core of other CPU while an unrelated process spins', async () => {
    const other = await measure(true)
    // One spinner is one core; the test runner's other workers may add to it, never take from it.
    expect(other).toBeGreaterThan(0.8)
    expect(other).toBeLessThan(os.availableParallelism() + 0.05)
  })

  it.skipIf(os.platform() !== 'linux')(
    'does not count a child process of its own as another process’s load',
    async () => {
      // Deterministic whatever else loads the machine: wait until the spinners have burnt CPU, then check
      // what this process's snapshot counts as its own (the load figure subtracts exactly that).
      const ticks = (pid: number): number => {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return (Number(f[11]) + Number(f[12])) / 100 // utime + stime, fields 14 and 15 of proc(5)
      }
      const code = 'const e = Date.now() + 60000; while (Date.now() < e);'
      const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' })
      // A spinner started by a shell that exits at once: reparented away, another process's load.
      const orphan = spawnSync('sh', ['-c', `"${process.execPath}" -e '${code}' >/dev/null 2>&1 & echo $!`], {
        encoding: 'utf8',
      })
      const orphanPid = Number(orphan.stdout.trim())
      try {
        while (ticks(child.pid!) < 0.3 || ticks(orphanPid) < 0.3) await new Promise((r) => setTimeout(r, 50))
        const before = process.cpuUsage()
        const childS = ticks(child.pid!)
        const orphanS = ticks(orphanPid)
        const own = cpuSnapshot().ownS
        const mine = (before.user + before.system) / 1e6
        // Reference: this process's CPU plus its child's, read from /proc/<pid>/stat just before.
        expect(own).toBeGreaterThanOrEqual(mine + childS - 0.02)
        expect(own).toBeLessThan(mine + childS + 0.25)
        expect(orphanS).toBeGreaterThanOrEqual(0.3)
      } finally {
        child.kill()
        try {
          process.kill(orphanPid)
        } catch {
          // Already gone.
        }
      }
    },
  )
})
