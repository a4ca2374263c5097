// The watched data fingerprint of a long-lived process: equal to a fresh dataFingerprint after every kind of change,
// computed from the files only when the directory reported one.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dataFingerprint } from '../src/column-cache.ts'
import { WatchedFingerprint, currentFingerprint } from '../src/data-watch.ts'
import type { KeptColumns } from '../src/types.ts'

let dir: string
let watched: WatchedFingerprint

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-watch-'))
  writeFileSync(join(dir, 'a.csv'), 'date,close\n1,2\n')
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true })
  writeFileSync(join(dir, 'sub', 'b.csv'), 'x')
  writeFileSync(join(dir, 'sub', 'deeper', 'c.csv'), 'y')
  watched = new WatchedFingerprint(dir)
})
afterEach(() => {
  watched.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The watched value agrees with a fresh computation; returns it. */
async function agrees(): Promise<string> {
  const value = await watched.fingerprint()
  expect(value).toBe(await dataFingerprint(dir))
  return value
}

describe('WatchedFingerprint', () => {
  it('computes once while nothing changes', async () => {
    const first = await agrees()
    for (let i = 0; i < 5; i++) expect(await watched.fingerprint()).toBe(first)
    expect(watched.computations).toBe(1)
  })

  // Each change is made synchronously right before the call: the call must still see it.
  const changes: [string, (d: string) => void][] = [
    ['an append', (d) => appendFileSync(join(d, 'a.csv'), '2,3\n')],
    ['a truncation', (d) => truncateSync(join(d, 'a.csv'), 3)],
    ['a touched mtime, same bytes', (d) => utimesSync(join(d, 'a.csv'), new Date(5e12), new Date(5e12))],
    ['a new file', (d) => writeFileSync(join(d, 'new.csv'), '')],
    ['a removed file', (d) => rmSync(join(d, 'a.csv'))],
    ['a renamed file', (d) => renameSync(join(d, 'a.csv'), join(d, 'z.csv'))],
    ['a change one level down', (d) => appendFileSync(join(d, 'sub', 'b.csv'), 'more')],
    ['a change two levels down', (d) => appendFileSync(join(d, 'sub', 'deeper', 'c.csv'), 'more')],
    [
      'a new subdirectory with a file',
      (d) => {
        mkdirSync(join(d, 'sub2'))
        writeFileSync(join(d, 'sub2', 'e.csv'), 'e')
      },
    ],
  ]
  for (const [what, change] of changes) {
    it(`sees ${what}`, async () => {
      const before = await agrees()
      change(dir)
      const after = await agrees()
      expect(after).not.toBe(before)
      expect(watched.computations).toBe(2)
      expect(await agrees()).toBe(after)
      expect(watched.computations).toBe(2)
    })
  }

  it('watches a directory created after the first computation', async () => {
    await agrees()
    mkdirSync(join(dir, 'sub3'))
    await agrees()
    writeFileSync(join(dir, 'sub3', 'f.csv'), 'f')
    const n = watched.computations
    await agrees()
    expect(watched.computations).toBe(n + 1)
  })

  it('an unreadable directory throws, and the next call tries again', async () => {
    const missing = new WatchedFingerprint(join(dir, 'nope'))
    await expect(missing.fingerprint()).rejects.toThrow(/ENOENT/)
    mkdirSync(join(dir, 'nope'))
    expect(await missing.fingerprint()).toBe(await dataFingerprint(join(dir, 'nope')))
    missing.close()
  })

  it('currentFingerprint keeps one per kept table and replaces it for another directory', async () => {
    const kept: KeptColumns = { table: null }
    expect(await currentFingerprint(dir, kept)).toBe(await dataFingerprint(dir))
    const first = kept.fingerprint!
    await currentFingerprint(dir, kept)
    expect(kept.fingerprint).toBe(first)
    expect(first.computations).toBe(1)
    const other = join(dir, 'sub')
    expect(await currentFingerprint(other, kept)).toBe(await dataFingerprint(other))
    expect(kept.fingerprint).not.toBe(first)
    kept.fingerprint!.close()
    // Without kept columns (a new process) it is the plain computation.
    expect(await currentFingerprint(dir, undefined)).toBe(await dataFingerprint(dir))
  })
})
