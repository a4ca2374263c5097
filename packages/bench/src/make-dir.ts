// The `@ttapi/bench/make-dir` entry, shared by both apps (kept out of the main entry so importing it loads nothing
// else of the harness). mkdir -p that always returns. Node's `mkdirSync(dir, { recursive: true })` spins forever on a path
// whose parent exists but cannot hold it (`/proc/nope/x`: mkdir gives ENOENT, the parent EEXIST, and
// Node retries; nodejs/node#27198 fixed only the Windows case): create each missing folder ourselves.
import { mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/** Creates `dir` and its missing parents; throws the file system's error (ENOENT, ENOTDIR, EACCES…) instead of looping. */
export function makeDir(dir: string): void {
  const missing: string[] = []
  let d = resolve(dir)
  for (;;) {
    try {
      if (statSync(d).isDirectory()) break
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), { code: 'ENOTDIR', path: d })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw error
      missing.push(d)
      d = dirname(d)
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(m).isDirectory()) throw error
    }
  }
}

/** `ENOENT: no such file or directory` from a file-system error, without the call and path Node appends. */
export function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  return typeof e.code === 'string' && typeof e.message === 'string' ? e.message.split(', ')[0]! : String(error)
}
