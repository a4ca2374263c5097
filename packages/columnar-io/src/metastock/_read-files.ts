// Reads data files into one reused, 4-byte-aligned buffer and decodes them: the work of a pool worker (or of the
// calling thread). Reusing the buffer keeps the VM's slow first touch of fresh memory out of the loop.
import { closeSync, openSync, readSync } from 'node:fs'
import { decodeRecords, type DecodeResult, type DecodeTask } from './_decode.ts'
import type { OutColumns } from '../_out-columns.ts'

let buffer = new ArrayBuffer(1 << 20)

function readWhole(path: string): { words: Uint32Array; size: number } {
  const fd = openSync(path, 'r')
  try {
    let size = 0
    for (;;) {
      if (size === buffer.byteLength) {
        const bigger = new ArrayBuffer(buffer.byteLength * 2)
        new Uint8Array(bigger).set(new Uint8Array(buffer))
        buffer = bigger
      }
      const n = readSync(fd, new Uint8Array(buffer, size), 0, buffer.byteLength - size, null)
      if (n === 0) break
      size += n
    }
    return { words: new Uint32Array(buffer, 0, Math.floor(size / 4)), size }
  } finally {
    closeSync(fd)
  }
}

/** Decodes each task's file into `out`; a file that cannot be read gives an `unreadable` issue and no rows. */
export function decodeFiles(tasks: readonly DecodeTask[], out: OutColumns): DecodeResult[] {
  return tasks.map((task) => {
    let file: { words: Uint32Array; size: number }
    try {
      file = readWhole(task.path)
    } catch (error) {
      return {
        rows: 0,
        firstDate: null,
        lastDate: null,
        issues: [
          {
            file: task.path,
            code: 'unreadable',
            message: `metastock: cannot read ${task.path}: ${(error as Error).message}`,
          },
        ],
      }
    }
    return decodeRecords(file.words, file.size, task, out)
  })
}
