// File helpers of the tests that damage or change what the pipeline cached: a temp folder, a torn file, a flipped
// byte, a file changed later than the cache was written.
import { mkdtempSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A new folder under the system's temp folder, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Cuts `file` to `bytes` (by default half its size), as a write torn by a crash leaves it. */
export function cutFile(file: string, bytes?: number): void {
  truncateSync(file, bytes ?? Math.floor(statSync(file).size / 2))
}

/** Sets `file`'s modification time `ms` after its current one: a change made after the cache was filled. */
export function touchLater(file: string, ms: number): void {
  const later = new Date(statSync(file).mtimeMs + ms)
  utimesSync(file, later, later)
}

/** Flips every bit of `file`'s last byte: same size, a checksum that no longer holds. */
export function flipLastByte(file: string): void {
  const bytes = readFileSync(file)
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
  writeFileSync(file, bytes)
}
