import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import path from 'node:path'
import { BenchRecordError } from './errors.ts'
import { acquireLockSync } from './file-lock.ts'
import { validateRecord } from './record-schema.ts'
import type { BenchRecord } from './types.ts'

/**
 * Appends one line to `file` so concurrent appenders never interleave, truncate or lose a line:
 * the whole line goes out in one `write()` on an `O_APPEND` descriptor, under a short lock file
 * (`<dir>/.lock.append`) that also covers filesystems where O_APPEND is not atomic. A file whose last
 * byte is not a newline (an interrupted append, an editor) gets one first, so the line never glues
 * onto a torn tail: the tail stays one bad line and this line parses.
 *
 * @param file - Target file (created with its folder if missing).
 * @param line - One line of text without a newline.
 */
export function appendLine(file: string, line: string): void {
  if (line.includes('\n')) throw new RangeError('bench: appendLine: line must not contain a newline')
  const dir = path.dirname(file)
  mkdirSync(dir, { recursive: true })
  const lock = acquireLockSync(path.join(dir, '.lock.append'))
  try {
    const fd = openSync(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644)
    try {
      const buf = Buffer.from(endsTorn(fd) ? `\n${line}\n` : `${line}\n`)
      let off = 0
      // A regular-file write returns short only on a full disk or signal; finish it under the lock.
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off)
    } finally {
      closeSync(fd)
    }
  } finally {
    lock.release()
  }
}

/** Whether the open file is non-empty and its last byte is not a newline (read under the append lock). */
function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size
  if (size === 0) return false
  const last = Buffer.alloc(1)
  return readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a
}

/**
 * Validates a record against the schema, then appends it as one JSON line.
 *
 * @param file - The run's `.ndjson` file.
 * @param record - The record.
 * @throws BenchRecordError (nothing written) when the record does not match the schema.
 */
export function appendRecord(file: string, record: BenchRecord): void {
  const v = validateRecord(record)
  if (!v.ok)
    throw new BenchRecordError(
      `bench: record ${record.suite}/${record.case} does not match the schema: ${v.errors.join('; ')}`,
      v.errors,
    )
  appendLine(file, JSON.stringify(record))
}
