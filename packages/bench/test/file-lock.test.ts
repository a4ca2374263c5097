import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { acquireLock, acquireLockSync } from '../src/file-lock.ts'
import { BenchLockError } from '../src/errors.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function deadPid(): number {
  // A process that has exited: its pid is free (reuse within the test is vanishingly unlikely).
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(r.stdout)
}

describe('acquireLock', () => {
  it('excludes a second holder until the first releases', async () => {
    const p = path.join(dir, 'a.lock')
    const first = await acquireLock(p, { note: '@t/x suite/case_a' })
    const order: string[] = []
    let waitedFor: [number | null, string | null] | undefined
    const second = acquireLock(p, { pollMs: 10, onWait: (pid, note) => (waitedFor = [pid, note]) }).then((h) => {
      order.push('second')
      return h
    })
    await new Promise((r) => setTimeout(r, 100))
    order.push('release first')
    first.release()
    const h2 = await second
    expect(order).toEqual(['release first', 'second'])
    expect(waitedFor).toEqual([process.pid, '@t/x suite/case_a'])
    h2.release()
    expect(existsSync(p)).toBe(false)
  })

  it('takes over a lock left by a dead pid', async () => {
    const p = path.join(dir, 'stale.lock')
    const pid = deadPid()
    writeFileSync(p, `${pid}\nsomehost\n2026-01-01T00:00:00.000Z\nabc\n`)
    const h = await acquireLock(p, { timeoutMs: 5000 })
    expect(readFileSync(p, 'utf8').startsWith(`${process.pid}\n`)).toBe(true)
    h.release()
    expect(existsSync(p)).toBe(false)
    writeFileSync(p, `${deadPid()}\n`)
    acquireLockSync(p, 5000).release()
  })

  it('waits for a live holder in another process, then times out with the holder named', async () => {
    const p = path.join(dir, 'live.lock')
    const holder = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url)), p],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()))
    await expect(acquireLock(p, { timeoutMs: 200, pollMs: 20 })).rejects.toThrow(BenchLockError)
    await expect(acquireLock(p, { timeoutMs: 200, pollMs: 20 })).rejects.toThrow(`held by pid ${String(holder.pid)}`)
    // Once the holder is killed (no chance to clean up), its lock is recovered.
    holder.kill('SIGKILL')
    await new Promise((r) => holder.once('close', r))
    const h = await acquireLock(p, { timeoutMs: 5000, pollMs: 20 })
    h.release()
  })

  it('does not remove a lock it no longer owns', async () => {
    const p = path.join(dir, 'owned.lock')
    const h = await acquireLock(p)
    writeFileSync(p, `${process.pid}\nother-token\n`)
    h.release()
    expect(existsSync(p)).toBe(true)
    rmSync(p)
  })
})
