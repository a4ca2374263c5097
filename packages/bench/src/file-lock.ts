import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import os from 'node:os'
import { BenchLockError } from './errors.ts'

/** A held lock; `release` removes the lock file if it is still ours. */
export interface LockHandle {
  /** Path of the lock file. */
  readonly path: string
  /** Releases the lock (idempotent). */
  release(): void
}

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** Poll interval while another process holds the lock. @default 50 */
  pollMs?: number
  /** Give up after this long (ms). @default Infinity */
  timeoutMs?: number
  /** Called once when the lock is busy, with the holder's pid (or null when unreadable) and its note. */
  onWait?: (holderPid: number | null, holderNote: string | null) => void
  /** One line stored in the lock file for waiters to show (e.g. the case being measured). */
  note?: string
}

/** A lock file whose holder cannot be read is considered abandoned after this long (ms). */
const UNREADABLE_STALE_MS = 10_000

const held = new Map<string, () => void>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readHolder(path: string): { content: string; pid: number | null; note: string | null } | null {
  try {
    const content = readFileSync(path, 'utf8')
    const pid = Number.parseInt(content, 10)
    return { content, pid: Number.isInteger(pid) && pid > 0 ? pid : null, note: content.split('\n')[4] || null }
  } catch {
    return null
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0
  }
}

function tryCreate(path: string, content: string): boolean {
  let fd: number
  try {
    fd = openSync(path, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new BenchLockError(`bench: cannot create lock ${path}: ${(error as Error).message}`, { cause: error })
  }
  try {
    writeSync(fd, content)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * Removes `path` if its holder is dead (or unreadable for long). Serialised by a second lock file
 * `<path>.recover`, and re-checked under it, so two waiters never both remove a fresh lock.
 */
function recoverStale(path: string, seen: { content: string; pid: number | null }): void {
  const stale = seen.pid === null ? ageMs(path) > UNREADABLE_STALE_MS : !isAlive(seen.pid)
  if (!stale) return
  const recover = `${path}.recover`
  if (!tryCreate(recover, `${process.pid}\n`)) {
    if (ageMs(recover) > UNREADABLE_STALE_MS) rmQuiet(recover)
    return
  }
  try {
    const now = readHolder(path)
    if (now && now.content === seen.content) rmQuiet(path)
  } finally {
    rmQuiet(recover)
  }
}

function rmQuiet(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}

function attempt(path: string, token: string): { ok: true } | { ok: false; pid: number | null; note: string | null } {
  if (tryCreate(path, token)) return { ok: true }
  const seen = readHolder(path)
  if (seen === null) return { ok: false, pid: null, note: null } // released meanwhile: retry
  recoverStale(path, seen)
  return { ok: false, pid: seen.pid, note: seen.note }
}

function handle(path: string, token: string): LockHandle {
  let released = false
  const release = (): void => {
    if (released) return
    released = true
    held.delete(path)
    const now = readHolder(path)
    if (now && now.content === token) rmQuiet(path)
  }
  held.set(path, release)
  return { path, release }
}

// Lock file lines: pid, host, time taken, random token, note.
function makeToken(note = ''): string {
  const line = note.replace(/[\r\n]+/g, ' ')
  return `${process.pid}\n${os.hostname()}\n${new Date().toISOString()}\n${Math.random().toString(36).slice(2)}\n${line}\n`
}

/**
 * Takes a cross-process lock: an exclusively created file holding `pid`, host and a random token.
 * Waits while another live process holds it; takes over a lock whose holder pid is dead.
 *
 * @param path - Lock file path (its folder must exist).
 * @param opts - Polling, timeout, wait callback.
 * @returns The handle; call `release()` when done.
 * @throws BenchLockError on timeout or when the file cannot be created.
 */
export async function acquireLock(path: string, opts: AcquireLockOptions = {}): Promise<LockHandle> {
  const { pollMs = 50, timeoutMs = Number.POSITIVE_INFINITY, onWait } = opts
  const token = makeToken(opts.note)
  const t0 = Date.now()
  let waited = false
  for (;;) {
    const r = attempt(path, token)
    if (r.ok) return handle(path, token)
    if (!waited) {
      waited = true
      onWait?.(r.pid, r.note)
    }
    if (Date.now() - t0 > timeoutMs)
      throw new BenchLockError(`bench: lock ${path} still held by pid ${String(r.pid)} after ${timeoutMs} ms`)
    await new Promise((res) => setTimeout(res, pollMs))
  }
}

/**
 * Synchronous {@link acquireLock} for short critical sections (the append lock): sleeps with
 * `Atomics.wait` between attempts.
 *
 * @param path - Lock file path.
 * @param timeoutMs - Give up after this long. @default 30000
 * @returns The handle.
 * @throws BenchLockError on timeout.
 */
export function acquireLockSync(path: string, timeoutMs = 30_000): LockHandle {
  const token = makeToken()
  const t0 = Date.now()
  const sleeper = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    const r = attempt(path, token)
    if (r.ok) return handle(path, token)
    if (Date.now() - t0 > timeoutMs)
      throw new BenchLockError(`bench: lock ${path} still held by pid ${String(r.pid)} after ${timeoutMs} ms`)
    Atomics.wait(sleeper, 0, 0, 2)
  }
}

/** Releases every lock this process holds (the CLI calls it on SIGINT/SIGTERM). */
export function releaseHeldLocks(): void {
  for (const release of [...held.values()]) release()
}
