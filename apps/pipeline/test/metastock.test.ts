// MetaStock folders as real exports from case-insensitive file systems name them (`Master`, `emaster`, `f1.dat`):
// the run finds and imports them as it does the upper-case names.
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sp500Symbols } from '@ttapi/collector'
import { isMetaStockDir } from '../src/_metastock.ts'
import { writeSyntheticMarket } from '../src/synthetic-data.ts'
import { runCli } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

let dir: string
let upper: string

/** A copy of the upper-case MetaStock directory with every file renamed by `rename`. */
function renamedCopy(name: string, rename: (file: string) => string): string {
  const to = join(dir, name)
  cpSync(upper, to, { recursive: true })
  for (const f of readdirSync(to)) if (f !== 'dataset.json') renameSync(join(to, f), join(to, rename(f)))
  return to
}

async function statistics(data: string): Promise<string> {
  const home = join(dir, `home-${data.split('/').pop()}`)
  const r = await runCli(
    [
      'run',
      '--home',
      home,
      '--data',
      data,
      '--universe',
      'universe.txt',
      '--server-latency',
      '2',
      '--server-jitter',
      '0',
    ],
    dir,
  )
  expect(r.code, r.stderr).toBe(0)
  const s = JSON.parse(readFileSync(join(home, 'out', 'summary.json'), 'utf8')) as RunSummary
  expect(s.stages[1]!.items).toBe(3600)
  return JSON.stringify(s.symbols.map((x) => [x.symbol, x.stats]))
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-metastock-'))
  upper = join(dir, 'UPPER')
  await writeSyntheticMarket(upper, 'tiny', 'metastock', 1)
  expect(readdirSync(upper)).toEqual(expect.arrayContaining(['MASTER', 'EMASTER', 'F1.DAT']))
  writeFileSync(join(dir, 'universe.txt'), `${sp500Symbols.slice(0, 3).join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('MetaStock index names in any case', () => {
  it('isMetaStockDir finds master, Emaster, xMaster; not a folder without one', async () => {
    const lower = renamedCopy('lower-only', (f) => f.toLowerCase())
    expect(await isMetaStockDir(lower)).toBe(true)
    const only = join(dir, 'xmaster-only')
    cpSync(upper, only, { recursive: true })
    rmSync(join(only, 'MASTER'))
    renameSync(join(only, 'EMASTER'), join(only, 'xMaster'))
    expect(await isMetaStockDir(only)).toBe(true)
    rmSync(join(only, 'xMaster'))
    expect(await isMetaStockDir(only)).toBe(false)
  })

  it('ttapi run --data imports lower- and mixed-case folders with the statistics of the upper-case one', async () => {
    const reference = await statistics(upper)
    const lower = renamedCopy('lower', (f) => f.toLowerCase())
    expect(readdirSync(lower)).toEqual(expect.arrayContaining(['master', 'emaster', 'f1.dat']))
    expect(await statistics(lower)).toBe(reference)
    const mixed = renamedCopy('mixed', (f) => f[0]! + f.slice(1).toLowerCase())
    expect(readdirSync(mixed)).toEqual(expect.arrayContaining(['Master', 'Emaster', 'F1.dat']))
    expect(await statistics(mixed)).toBe(reference)
  })
})
