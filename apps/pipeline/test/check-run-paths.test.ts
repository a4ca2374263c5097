// Paths are checked before any work: a missing --data folder, a missing --universe file, an --out, --cache-dir or
// home that cannot be written is a usage error (exit 2) in one line naming the flag, before a quote is collected.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, runCli } from './_cli.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-paths-'))
  writeFileSync(join(dir, 'universe.txt'), 'MMM\n')
  writeFileSync(join(dir, 'afile'), 'a file, not a folder\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cases: [string, string[], RegExp][] = [
  [
    'a missing --data folder',
    ['--data', 'no-such-dir'],
    /^error: ttapi run: --data no-such-dir \(.+\/no-such-dir\): no such directory$/,
  ],
  ['--data naming a file', ['--data', 'afile'], /^error: ttapi run: --data afile \(.+\): is not a directory/],
  [
    'a missing --universe file',
    ['--universe', 'nope.txt'],
    /^error: ttapi run: --universe nope\.txt \(.+\): no such file/,
  ],
  [
    '--out under a file',
    ['--out', 'afile/out'],
    /^error: ttapi run: --out afile\/out \(.+\): cannot create the directory \(ENOTDIR\)$/,
  ],
  [
    '--cache-dir under a file',
    ['--cache-dir', 'afile/c'],
    /^error: ttapi run: --cache-dir afile\/c \(.+\): cannot create the directory \(ENOTDIR\)$/,
  ],
  [
    '--home under a file',
    ['--home', 'afile/h'],
    /^error: ttapi run: --home afile\/h \(.+\): cannot create the directory \(ENOTDIR\)$/,
  ],
]
if (existsSync('/proc/self'))
  cases.push([
    '--out under /proc (Node’s recursive mkdir never returns there)',
    ['--out', '/proc/nope/x'],
    /^error: ttapi run: --out \/proc\/nope\/x: cannot create the directory \(ENOENT\)$/,
  ])

describe('ttapi run checks its paths before any work', () => {
  it.concurrent.each(cases)('%s: exit 2, one line naming the flag, nothing collected', async (_, args, line) => {
    const r = await runCli(['run', '--universe', 'universe.txt', '--home', 'home', ...args], dir)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)])
    expect(r.stdout).toBe('')
  })

  it('a $TTAPI_HOME that cannot be written is named as such', async () => {
    const r = await runCli(
      ['run', '--universe', 'universe.txt'],
      dir,
      cleanEnv({ TTAPI_HOME: join(dir, 'afile', 'h') }),
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^error: ttapi run: \$TTAPI_HOME .+\/afile\/h \(.+\): cannot create the directory \(ENOTDIR\)\n$/,
    )
  })
})
