import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { CacheWarning } from '../src/index.ts'

const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

/** A fresh temp directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ttapi-cache-test-'))
  dirs.push(dir)
  return dir
}

/** A settable clock for TTL tests. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

/** Collects warnings instead of printing them. */
export function warningSink(): { warnings: CacheWarning[]; onWarning: (w: CacheWarning) => void } {
  const warnings: CacheWarning[] = []
  return { warnings, onWarning: (w) => void warnings.push(w) }
}
