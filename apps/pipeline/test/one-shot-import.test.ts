// A one-shot `ttapi run` decodes a MetaStock directory below 256 MB on its own thread: the decoding workers (tsx and
// the codec loaded from source in each) cost a fresh process more than they save. Above 4 MB columnar-io would start
// them by default, so the directory here is 5.3 MB.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { readMetaStock, syntheticMarket, writeMetaStock } from '@ttapi/columnar-io'
import { cleanEnv, runCli } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-one-shot-'))
  writeMetaStock(join(dir, 'data'), syntheticMarket({ seed: 7, symbols: 80, days: 2760 }))
  writeFileSync(join(dir, 'universe.txt'), 'AAPL\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('a one-shot cold run imports a 5.3 MB MetaStock directory without starting decoding workers', async () => {
  // Node's module-loader log names every module a worker thread loads; the collection fails fast (nothing listens).
  const r = await runCli(
    ['run', '--data', 'data', '--universe', 'universe.txt', '--source', 'http://127.0.0.1:9', '--quiet'],
    dir,
    cleanEnv({ NODE_DEBUG: 'esm' }),
  )
  expect(r.code, r.stderr.slice(-1000)).toBe(1)
  expect(r.stderr).not.toContain('metastock/_worker.ts')
  const s = JSON.parse(readFileSync(join(dir, '.ttapi/out/summary.json'), 'utf8')) as RunSummary
  // Reference: the same directory read by columnar-io's single-threaded reader.
  const { table } = readMetaStock(join(dir, 'data'))
  expect(table.length).toBe(80 * 2760)
  expect(s.stages[1]).toMatchObject({ source: 'data', status: 'ok', items: table.length })
  expect(s.symbols.filter((x) => x.stats !== null)).toHaveLength(80)
})
