// Atomic file replacement for the out directory: a temp file beside the target, renamed over it.
import { closeSync, openSync, renameSync, unlinkSync, writeFileSync, writevSync } from 'node:fs'

/**
 * Writes `content` to `file` atomically: a temp file beside it, renamed over it (a reader sees the old file or the
 * new one, never half of one); the temp file is removed when the write fails.
 */
export function writeAtomic(file: string, content: string | readonly Buffer[]): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    if (typeof content === 'string') writeFileSync(temp, content)
    else {
      const fd = openSync(temp, 'w')
      try {
        writeAllSync(fd, content)
      } finally {
        closeSync(fd)
      }
    }
    renameSync(temp, file)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // Nothing to remove, or the name is not ours (a directory): leave it.
    }
    throw error
  }
}

/** `writevSync` until every byte of `buffers` is written (a write may take fewer bytes than given). */
function writeAllSync(fd: number, buffers: readonly Buffer[]): void {
  let rest = buffers.filter((b) => b.length > 0)
  while (rest.length > 0) {
    let written = writevSync(fd, rest)
    let i = 0
    while (i < rest.length && written >= rest[i]!.length) written -= rest[i++]!.length
    rest = rest.slice(i)
    if (written > 0) rest[0] = rest[0]!.subarray(written)
  }
}
