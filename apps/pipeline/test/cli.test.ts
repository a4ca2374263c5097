// The CLI end to end, as a subprocess against a temp directory: a tiny synthetic market (12 symbols x 300 days),
// a 6-symbol universe file and the embedded quote server at 2 ms latency keep each run at a couple of seconds.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sp500Symbols } from '@ttapi/collector'
import { cleanEnv, runCli, runInPty } from './_cli.ts'
import { cutFile, flipLastByte, tempDir, touchLater } from './_files.ts'
import type { RunSummary, StageHistoryFile } from '../src/types.ts'

// The tiny dataset holds the first 12 sp500 symbols; the universe takes 6 of them.
const UNIVERSE = sp500Symbols.slice(0, 6)
const FAST = ['--universe', 'universe.txt', '--dataset', 'tiny', '--server-latency', '2', '--server-jitter', '0']

let dir: string
const summary = (): RunSummary => JSON.parse(readFileSync(join(dir, '.ttapi/out/summary.json'), 'utf8')) as RunSummary
const sources = (s: RunSummary): string[] => s.stages.map((st) => st.source)
// ANSI escapes are what these tests look for.
/* eslint-disable no-control-regex */
const noStack = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)

beforeAll(() => {
  dir = tempDir('ttapi-cli-')
  writeFileSync(join(dir, 'universe.txt'), `# test universe\n${UNIVERSE.join('\n')}\n`)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('help, version, usage errors', () => {
  it('--help lists every command; <cmd> --help shows its options; --version prints the version', async () => {
    const top = await runCli(['--help'], dir)
    expect(top.code).toBe(0)
    for (const cmd of ['run', 'serve-quotes', 'generate', 'cache']) expect(top.stdout).toContain(`  ${cmd}`)
    for (const [cmd, option] of [
      ['run', '--max-failure-share X'],
      ['serve-quotes', '--latency MS'],
      ['generate', '--format FMT'],
      ['cache', '--cache-dir DIR'],
    ] as const) {
      const r = await runCli([cmd, '--help'], dir)
      expect(r.code, cmd).toBe(0)
      expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: ttapi ${cmd}`))
      expect(r.stdout, cmd).toContain(option)
    }
    const v = await runCli(['--version'], dir)
    expect(v.code).toBe(0)
    expect(v.stdout).toBe('ttapi 0.0.0\n')
  })

  it.concurrent.each([
    [['frobnicate'], 'error: ttapi: unknown command `frobnicate`', 'Usage: ttapi <command>'],
    [['run', '--bogus'], "error: ttapi run: unknown option '--bogus'", 'Usage: ttapi run'],
    [['run', '--cold', '--cached'], 'error: ttapi run: --cold and --cached exclude each other', 'Usage: ttapi run'],
    [
      ['run', '--max-failure-share', '2'],
      'error: ttapi run: expected --max-failure-share to be a number from 0 to 1, got `2`',
      'Usage: ttapi run',
    ],
    [
      ['run', '--dataset', 'huge'],
      'error: ttapi run: expected --dataset to be one of quick, full, tiny, got `huge`',
      'Usage: ttapi run',
    ],
    [['run', '--universe'], "error: ttapi run: option '--universe <value>' argument missing", 'Usage: ttapi run'],
    [['cache', 'shrink'], 'error: ttapi cache: expected `stats` or `clear`, got `shrink`', 'Usage: ttapi cache'],
    [['generate', 'extra'], 'error: ttapi generate: unexpected argument `extra`', 'Usage: ttapi generate'],
  ])('%j: exit 2, one line, then the help', async (args, line, help) => {
    const r = await runCli(args, dir)
    expect(r.code).toBe(2)
    const lines = r.stderr.split('\n')
    expect(lines[0]).toBe(line)
    expect(lines[1]).toBe('')
    expect(lines[2]).toContain(help)
    expect(r.stdout).toBe('')
    noStack(r.stderr)
  })
})

describe('ttapi run, cold then cached, then a corrupt cache, then a killed server', () => {
  it('cold: collects every quote, imports the data files, writes the summary and the stage table', async () => {
    const r = await runCli(['run', ...FAST], dir)
    expect(r.code, r.stderr).toBe(0)
    const s = summary()
    expect(s.mode).toBe('cold')
    expect(s.exitCode).toBe(0)
    expect(sources(s)).toEqual(['source', 'data', 'computed'])
    expect(s.stages.map((st) => st.status)).toEqual(['ok', 'ok', 'ok'])
    expect(s.failures).toEqual([])
    // 6 universe symbols first, then the other 6 of the tiny market; every one has 300 rows of history.
    expect(s.symbols.slice(0, 6).map((x) => x.symbol)).toEqual(UNIVERSE)
    expect(s.symbols.map((x) => x.symbol).sort()).toEqual(sp500Symbols.slice(0, 12).sort())
    expect(s.symbols.slice(0, 6).every((x) => x.last !== null && x.last > 0)).toBe(true)
    expect(s.symbols.slice(6).every((x) => x.last === null)).toBe(true)
    expect(s.symbols.every((x) => x.stats?.rows === 300)).toBe(true)
    expect(s.stages[1]!.items).toBe(12 * 300)
    // Plain lines (stderr is not a TTY): no bar characters, no escape codes.
    expect(r.stderr).toContain('symbol collection: 6/6 quotes from the source')
    expect(r.stderr).not.toMatch(/[█░\u001b]/)
    expect(r.stdout).toMatch(/\| Symbol collection \| +[\d.]+ m?s \| +— \| +— \|/)
    for (const row of ['EOD import', 'Analysis', 'Total']) expect(r.stdout).toContain(`| ${row}`)
    expect(r.stdout).toContain('cold: this run (6 symbols, 3,600 rows); cached: no run yet')
    expect(r.stdout).toMatch(/\npeak memory: \d+\.\d\d GB resident\n/)
    expect(s.peakRssBytes).toBeGreaterThan(10_000_000)
    const md = readFileSync(join(dir, '.ttapi/out/summary.md'), 'utf8')
    expect(md).toContain('# ttapi run — cold')
    expect(md).toContain('## Failures (0)')
    expect(md).toContain(`| ${UNIVERSE[0]} |`)
  })

  it('cached: quotes and columns come from the cache, the analysis is recomputed; the table has both columns', async () => {
    const r = await runCli(['run', '--cached', ...FAST], dir)
    expect(r.code, r.stderr).toBe(0)
    const s = summary()
    expect(s.mode).toBe('cached')
    expect(sources(s)).toEqual(['cache', 'cache', 'computed'])
    expect(s.stages.map((st) => st.fallback)).toEqual([null, null, null])
    expect(s.stages[0]!.note).toMatch(/^6\/6 quotes from the disk cache/)
    expect(s.symbols.every((x) => x.stats?.rows === 300)).toBe(true)
    for (const row of ['Symbol collection', 'EOD import', 'Analysis', 'Total']) {
      expect(r.stdout).toMatch(new RegExp(`\\| ${row} +\\| +[\\d.]+ m?s \\| +[\\d.]+ m?s \\| +[\\d.]+x \\|`))
    }
    expect(r.stdout).toMatch(/cold: run of \S+ \(6 symbols, 3,600 rows\); cached: this run/)
    const history = JSON.parse(readFileSync(join(dir, '.ttapi/out/stage-history.json'), 'utf8')) as StageHistoryFile
    expect(history.entries).toHaveLength(1)
    expect(Object.keys(history.entries[0]!.cold!.ms)).toEqual(['collection', 'import', 'analysis', 'total'])
    expect(history.entries[0]!.cached!.fallbacks).toEqual([])
  })

  it('a cached run loads neither the HTTP client nor the Arrow and compression libraries; a cold run loads the client', async () => {
    // Node's module-loader log (NODE_DEBUG=esm) names every file loaded, in both the launcher and the CLI process.
    const loaded = async (mode: string): Promise<string[]> => {
      const r = await runCli(['run', mode, '--quiet', ...FAST], dir, cleanEnv({ NODE_DEBUG: 'esm' }))
      expect(r.code, r.stderr.slice(-2000)).toBe(0)
      const names = new Set<string>()
      for (const m of r.stderr.matchAll(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g))
        names.add(m[1]!)
      return [...names]
    }
    // hyparquet parses the cached column file's footer; its compressors are for other files' pages.
    const heavy = ['undici', 'apache-arrow', 'parquet-wasm', 'hyparquet-compressors', 'snappy', '@bokuweb/zstd-wasm']
    const cold = await loaded('--cold')
    expect(cold).toEqual(expect.arrayContaining(['tsx', 'undici']))
    const cached = await loaded('--cached')
    expect(sources(summary())).toEqual(['cache', 'cache', 'computed'])
    expect(cached).toContain('tsx')
    expect(cached.filter((n) => heavy.includes(n))).toEqual([])
  })

  it('a corrupt cache falls back to cold for each stage, says so, and refills the cache', async () => {
    const entries = join(dir, '.ttapi/cache/entries')
    for (const f of readdirSync(entries)) flipLastByte(join(entries, f))
    const columns = join(dir, '.ttapi/cache/columns')
    const [columnFile] = readdirSync(columns).filter((f) => f.endsWith('.parquet'))
    // The manifests are corrupt too, so this one is found only after they are rewritten; corrupt it as well.
    cutFile(join(columns, columnFile!))
    const r = await runCli(['run', '--cached', ...FAST], dir)
    expect(r.code, JSON.stringify(summary().failures.slice(0, 2))).toBe(0)
    const s = summary()
    expect(sources(s)).toEqual(['source', 'data', 'computed'])
    const mismatch = 'checksum mismatch \\(stored [0-9a-f]{16}, computed [0-9a-f]{16}\\)'
    expect(s.stages[0]!.fallback).toMatch(new RegExp(`^corrupt quotes cache: ${entries}/[0-9a-f]+\\.ttc: ${mismatch}$`))
    expect(s.stages[1]!.fallback).toMatch(
      new RegExp(`^corrupt column cache manifest: ${entries}/[0-9a-f]+\\.ttc: ${mismatch}$`),
    )
    // One line per damaged file, naming it and saying what happens instead.
    const said = r.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(said).toEqual([
      expect.stringMatching(
        new RegExp(`^warning: cache: ${entries}/[0-9a-f]+\\.ttc: ${mismatch}; refetching the quotes from the source$`),
      ),
      expect.stringMatching(
        new RegExp(`^warning: cache: ${entries}/[0-9a-f]+\\.ttc: ${mismatch}; re-importing from /`),
      ),
    ])
    expect(r.stdout).toContain('* the cached run did this stage cold (stale or corrupt cache)')
    expect(readFileSync(join(dir, '.ttapi/out/summary.md'), 'utf8')).toContain(
      'fell back to cold: corrupt quotes cache',
    )

    // The fallback refilled the cache; now truncate the column file alone: the import says the file is corrupt.
    const again = await runCli(['run', '--cached', ...FAST], dir)
    expect(again.code).toBe(0)
    expect(sources(summary())).toEqual(['cache', 'cache', 'computed'])
    const [refilled] = readdirSync(columns)
    cutFile(join(columns, refilled!), 1000)
    const third = await runCli(['run', '--cached', ...FAST], dir)
    expect(third.code).toBe(0)
    const t = summary()
    expect(sources(t)).toEqual(['cache', 'data', 'computed'])
    expect(t.stages[1]!.fallback).toMatch(
      /^corrupt column cache: .+: truncated or replaced: 1000 bytes, \d+ were written$/,
    )
  })

  it('stale quotes and changed data files fall back to cold and say why', async () => {
    // Quotes that expire after 1 ms are stale by the next run.
    const cold = await runCli(['run', ...FAST, '--quote-ttl', '0.001'], dir)
    expect(cold.code, cold.stderr).toBe(0)
    const r = await runCli(['run', '--cached', ...FAST], dir)
    expect(r.code, r.stderr).toBe(0)
    let s = summary()
    expect(sources(s)).toEqual(['source', 'cache', 'computed'])
    expect(s.stages[0]!.fallback).toMatch(/^cached quotes are stale \(collected [\d.]+ m?s ago, fresh for 1\.0 ms\)$/)
    // A data file modified after the import makes the cached columns stale.
    const data = s.inputs.data
    const file = join(
      data,
      readdirSync(data).find((f) => /^F\d+\.DAT$/i.test(f))!,
    )
    touchLater(file, 5000)
    const t = await runCli(['run', '--cached', ...FAST], dir)
    expect(t.code, t.stderr).toBe(0)
    s = summary()
    expect(sources(s)).toEqual(['cache', 'data', 'computed'])
    expect(s.stages[1]!.fallback).toMatch(/^cached columns are stale: the data files changed after \d{4}-/)
  })

  it('the quote server killed mid-run: the run completes, the summary lists the failures, exit 1', async () => {
    const symbols = sp500Symbols.slice(0, 30)
    writeFileSync(join(dir, 'thirty.txt'), symbols.join('\n'))
    let killed = false
    const args = [
      'run',
      '--universe',
      'thirty.txt',
      '--dataset',
      'tiny',
      '--concurrency',
      '1',
      '--server-latency',
      '100',
      '--server-jitter',
      '0',
    ]
    const r = await runCli(args, dir, cleanEnv(), (stderr) => {
      const pid = /quote server: \S+ \(pid (\d+)\)/.exec(stderr)?.[1]
      // Kill once a quarter of the symbols are in (plain progress lines print at 25%).
      if (pid !== undefined && !killed && stderr.includes('symbol collection: 25%')) {
        killed = true
        process.kill(Number(pid), 'SIGKILL')
      }
    })
    expect(killed).toBe(true)
    expect(r.code).toBe(1)
    const s = summary()
    expect(s.exitCode).toBe(1)
    const collection = s.stages[0]!
    expect(collection.status).toBe('partial')
    expect(collection.items).toBeGreaterThanOrEqual(7)
    expect(collection.items + collection.failed).toBe(30)
    expect(s.failures.length).toBe(collection.failed)
    expect(s.failures.every((f) => f.stage === 'collection' && f.code === 'connection')).toBe(true)
    // The rest of the pipeline ran.
    expect(s.stages.slice(1).map((st) => st.status)).toEqual(['ok', 'ok'])
    expect(r.stdout).toMatch(/\d+ failures listed in the summary \(collection \d+\.\d%\)/)
    expect(r.stdout).toContain('exit 1: a stage failed more than --max-failure-share 0 of its items')
    noStack(r.stderr)
  })

  it('an unreachable source fails every symbol; --max-failure-share 1 still exits 0', async () => {
    const args = ['run', ...FAST, '--source', 'http://127.0.0.1:9', '--max-failure-share', '1']
    const r = await runCli(args, dir)
    expect(r.code, r.stderr).toBe(0)
    const s = summary()
    expect(s.stages[0]!.status).toBe('failed')
    expect(s.stages[0]!.failureShare).toBe(1)
    expect(s.failures.map((f) => f.subject)).toEqual(UNIVERSE)
    expect(s.stages[2]!.status).toBe('ok')
  })

  it('a bad data directory fails the import and skips the analysis; the summary says why; exit 1', async () => {
    // A folder that exists but holds nothing to import (a missing one is a usage error: check-run-paths.test.ts).
    mkdirSync(join(dir, 'nothing-here'), { recursive: true })
    const r = await runCli(['run', ...FAST.slice(0, 2), '--data', 'nothing-here', '--server-latency', '2'], dir)
    expect(r.code).toBe(1)
    const s = summary()
    expect(s.stages.map((st) => st.status)).toEqual(['ok', 'failed', 'failed'])
    expect(s.failures.map((f) => f.code)).toEqual(['bad_data_dir', 'no_input'])
    expect(s.failures[0]!.reason).toContain(`no history in ${join(dir, 'nothing-here')}`)
    expect(s.symbols.every((x) => x.stats === null)).toBe(true)
    noStack(r.stderr)
  })

  it('a data directory with a bad record and an unreadable file imports the rest and lists both', async () => {
    const data = join(dir, 'mixed')
    mkdirSync(data, { recursive: true })
    const [a, b] = UNIVERSE
    writeFileSync(
      join(data, 'prices.csv'),
      `symbol,date,open,high,low,close,volume\n${a},2024-01-02,10,11,9,10.5,1000\n${a},2024-01-03,10.5,12,10,11,1200\n${b},2024-01-02,oops,5,4,4.5,100\n${b},2024-01-03,4.5,5,4,4.8,90\n`,
    )
    writeFileSync(join(data, 'broken.parquet'), 'not parquet at all')
    const args = [
      'run',
      '--universe',
      'universe.txt',
      '--data',
      'mixed',
      '--server-latency',
      '2',
      '--server-jitter',
      '0',
    ]
    const r = await runCli(args, dir)
    expect(r.code).toBe(1)
    const s = summary()
    const imported = s.stages[1]!
    expect(imported.status).toBe('partial')
    expect([imported.items, imported.attempted, imported.failed, imported.failureShare]).toEqual([3, 2, 1, 0.5])
    const importFailures = s.failures.filter((f) => f.stage === 'import')
    expect(importFailures.map((f) => [f.subject.replace(data, 'DATA'), f.code])).toEqual([
      ['DATA/broken.parquet', 'unreadable'],
      ['DATA/prices.csv:4', 'bad_record'],
    ])
    expect(s.stages[2]!.status).toBe('ok')
    expect(s.symbols.find((x) => x.symbol === a)?.stats?.rows).toBe(2)
    expect(s.symbols.find((x) => x.symbol === b)?.stats?.rows).toBe(1)
    // Half the files failed: a share of 0.5 is allowed by --max-failure-share 0.5.
    const allowed = await runCli([...args, '--max-failure-share', '0.5'], dir)
    expect(allowed.code).toBe(0)
  })

  it('cache stats and cache clear', async () => {
    const stats = await runCli(['cache', 'stats'], dir)
    expect(stats.code).toBe(0)
    // One column file per data directory imported: the tiny market and the mixed directory.
    const columnFiles = readdirSync(join(dir, '.ttapi/cache/columns')).length
    expect(columnFiles).toBe(2)
    expect(stats.stdout).toMatch(new RegExp(`columns \\(imported history\\): +${columnFiles} files`))
    const clear = await runCli(['cache', 'clear'], dir)
    expect(clear.code).toBe(0)
    expect(clear.stdout).toMatch(/^cleared .+: \d+ files/)
    const after = await runCli(['cache', 'stats'], dir)
    expect(after.stdout).toMatch(/entries \(quotes, column manifests\): 0 files/)
    expect(after.stdout).toMatch(/columns \(imported history\): +0 files/)
  })
})

const hasScript = spawnSync('script', ['--version']).status === 0
describe.skipIf(!hasScript)('on a terminal (a pseudo-TTY through util-linux script)', () => {
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(import.meta.dirname, '../bin/ttapi.js'))} run ${FAST.join(' ')}`

  it('draws progress bars and colours on a TTY', async () => {
    const r = await runInPty(cmd, dir, cleanEnv())
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('█')
    expect(r.stdout).toMatch(/\u001b\[3\dm/)
  })

  it('never colours with NO_COLOR, and --quiet prints plain lines', async () => {
    const r = await runInPty(`${cmd} --cached`, dir, cleanEnv({ NO_COLOR: '1' }))
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(/\u001b\[\d+m/)
    expect(r.stdout).toContain('| Total')
    const q = await runInPty(`${cmd} --cached --quiet`, dir, cleanEnv())
    expect(q.code).toBe(0)
    expect(q.stdout).not.toContain('█')
    expect(q.stdout).toContain('EOD import: 3,600 rows of 12 symbols from the column cache')
  })
})

describe('ttapi serve-quotes', () => {
  it('serves quotes a run can use with --source, and stops on SIGTERM', async () => {
    const { spawn } = await import('node:child_process')
    const { BIN } = await import('./_cli.ts')
    const server = spawn(process.execPath, [BIN, 'serve-quotes', '--latency', '1', '--jitter', '0'], {
      cwd: dir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)))
    const url = await new Promise<string>((resolve) => {
      let out = ''
      server.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d
        const m = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)
        if (m) resolve(m[1]!)
      })
    })
    const r = await runCli(['run', ...FAST, '--source', url], dir)
    server.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(r.code, r.stderr).toBe(0)
    const s = summary()
    expect(s.inputs.source).toBe(url)
    expect(s.stages[0]!.items).toBe(6)
  })
})
