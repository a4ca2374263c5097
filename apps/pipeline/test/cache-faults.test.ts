// Fault injection over the whole pipeline, as a subprocess: each kind of cache file a cached run reads (the quotes
// entry, the column file, the column manifest) is damaged three ways — bytes flipped in the middle, truncated, replaced
// by another file of the same size — and the cached run must either give the statistics of a cold run or fail with a
// line naming the file; it must never exit 0 with other statistics. The per-symbol summary lines are kept in memory
// only (SummaryLines), so there is no file of theirs to damage.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sp500Symbols } from '@ttapi/collector'
import { runCli } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

const UNIVERSE = sp500Symbols.slice(0, 6)
const SERVER = ['--server-latency', '2', '--server-jitter', '0']

let dir: string
let base: string
let data: string
let reference: string
let otherMarketColumns: Buffer

type Kind = 'quotes' | 'columns' | 'manifest'
type Fault = 'flip' | 'truncate' | 'replace'

/** The per-symbol results of a run: quote and statistics, as JSON to compare. */
function results(out: string): string {
  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as RunSummary
  return JSON.stringify(s.symbols.map((x) => [x.symbol, x.last, x.stats]))
}

/** The cache file of a kind inside a cache directory. */
function cacheFile(cache: string, kind: Kind): string {
  if (kind === 'columns') {
    const [name] = readdirSync(join(cache, 'columns')).filter((f) => f.endsWith('.parquet'))
    return join(cache, 'columns', name!)
  }
  const entries = join(cache, 'entries')
  const prefix = kind === 'quotes' ? 'quotes:' : 'columns:'
  const name = readdirSync(entries).find((f) => readFileSync(join(entries, f)).includes(Buffer.from(prefix)))
  return join(entries, name!)
}

function damage(file: string, fault: Fault, other: Buffer): void {
  const size = statSync(file).size
  if (fault === 'truncate') return truncateSync(file, size >> 1)
  if (fault === 'flip') {
    const bytes = readFileSync(file)
    const mid = size >> 1
    for (let i = mid; i < Math.min(size, mid + 4096); i++) bytes[i] = bytes[i]! ^ 0xa5
    return writeFileSync(file, bytes)
  }
  // Another file of the same size: cut or zero-padded to it.
  const replacement = Buffer.alloc(size)
  other.copy(replacement, 0, 0, Math.min(size, other.length))
  writeFileSync(file, replacement)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-faults-'))
  writeFileSync(join(dir, 'universe.txt'), `${UNIVERSE.join('\n')}\n`)
  base = join(dir, 'base')
  const cold = await runCli(
    ['run', '--cold', '--home', base, '--universe', 'universe.txt', '--dataset', 'tiny', ...SERVER],
    dir,
  )
  expect(cold.code, cold.stderr).toBe(0)
  data = join(base, 'data', 'tiny-metastock')
  reference = results(join(base, 'out'))
  // A second market (seed 2) of the same shape: its column file is a valid file of the same size with other values.
  const other = join(dir, 'other')
  const r = await runCli(
    ['run', '--cold', '--home', other, '--universe', 'universe.txt', '--dataset', 'tiny', '--seed', '2', ...SERVER],
    dir,
  )
  expect(r.code, r.stderr).toBe(0)
  expect(results(join(other, 'out'))).not.toBe(reference)
  otherMarketColumns = readFileSync(cacheFile(join(other, 'cache'), 'columns'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a damaged cache file never gives other statistics with exit 0', () => {
  const cases: [Kind, Fault][] = []
  for (const kind of ['quotes', 'columns', 'manifest'] as const)
    for (const fault of ['flip', 'truncate', 'replace'] as const) cases.push([kind, fault])

  it.each(cases)('%s file, %s: the cold run’s statistics, or a failure naming the file', async (kind, fault) => {
    const home = join(dir, `${kind}-${fault}`)
    const cache = join(home, 'cache')
    cpSync(join(base, 'cache'), cache, { recursive: true })
    const file = cacheFile(cache, kind)
    const other =
      kind === 'columns'
        ? otherMarketColumns
        : readFileSync(cacheFile(cache, kind === 'quotes' ? 'manifest' : 'quotes'))
    if (kind === 'columns' && fault === 'replace') expect(other.length).toBe(statSync(file).size)
    damage(file, fault, other)

    const r = await runCli(
      ['run', '--cached', '--home', home, '--data', data, '--universe', 'universe.txt', ...SERVER],
      dir,
    )
    const named = r.stderr.split('\n').filter((l) => l.includes(file))
    if (r.code === 0) {
      expect(results(join(home, 'out'))).toBe(reference)
      // The damage was seen and said, once, in one line naming the file.
      expect(named, r.stderr).toHaveLength(1)
      expect(named[0]).toMatch(
        new RegExp(`^warning: cache: ${file}: .+; (refetching the quotes from the source|re-importing from ${data})$`),
      )
    } else {
      expect(named, r.stderr).toHaveLength(1)
    }
    // The fallback refilled the cache: the next cached run is served from it, with the same statistics.
    const again = await runCli(
      ['run', '--cached', '--home', home, '--data', data, '--universe', 'universe.txt', ...SERVER],
      dir,
    )
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr).not.toContain('warning:')
    expect(results(join(home, 'out'))).toBe(reference)
  })
})
