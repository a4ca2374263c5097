import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fsReason, makeDir } from '../src/make-dir.ts'

describe('makeDir', () => {
  it('creates a folder and its missing parents, and returns when they exist', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ttapi-make-dir-')), 'a', 'b', 'c')
    makeDir(dir)
    expect(statSync(dir).isDirectory()).toBe(true)
    makeDir(dir)
    expect(statSync(dir).isDirectory()).toBe(true)
  })

  it('throws the file system error where Node’s recursive mkdir would retry forever (/proc) or a file is in the way', () => {
    // Linux: /proc holds no new folders (mkdir gives ENOENT there while the parent exists).
    if (existsSync('/proc/self')) expect(() => makeDir('/proc/nope/x')).toThrow(/^ENOENT/)
    const file = join(mkdtempSync(join(tmpdir(), 'ttapi-make-dir-')), 'file')
    writeFileSync(file, '')
    let error: unknown
    try {
      makeDir(join(file, 'sub'))
    } catch (e) {
      error = e
    }
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTDIR')
    expect(fsReason(error)).toBe('ENOTDIR: not a directory')
  })
})
