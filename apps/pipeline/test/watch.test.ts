// `ttapi watch` as a subprocess against a temp directory: a tiny CSV market (12 symbols x 300 days), a 6-symbol
// universe and the embedded quote server at 2 ms latency. Refreshes after the quotes expire, after a data file is
// appended to and after it is replaced by a corrupt one; SIGTERM mid-refresh; resident memory over 200 refreshes.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sp500Symbols } from '@ttapi/collector'
import { BIN, cleanEnv, runCli } from './_cli.ts'
import type { RunSummary } from '../src/types.ts'

const UNIVERSE = sp500Symbols.slice(0, 6)
const BASE = ['--universe', 'universe.txt', '--data', 'data', '--server-latency', '2', '--server-jitter', '0']

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-watch-'))
  writeFileSync(join(dir, 'universe.txt'), `${UNIVERSE.join('\n')}\n`)
  const g = await runCli(['generate', '--dataset', 'tiny', '--format', 'csv', '--out', 'data', '--quiet'], dir)
  expect(g.code, g.stderr).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A running `ttapi watch`, its output so far, and a wait for a line of stdout. */
interface Watch {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  lines: () => string[]
  /** Resolves with the line of refresh `n` once it is printed. */
  refresh: (n: number) => Promise<string>
  exited: Promise<number | null>
}

function startWatch(args: string[], home: string): Watch {
  const child = spawn(process.execPath, [BIN, 'watch', ...BASE, '--home', home, ...args], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: (() => void)[] = []
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
    for (const w of waiters.splice(0)) w()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const lines = (): string[] => out.split('\n').filter((l) => / refresh \d+: /.test(l))
  const refresh = async (n: number): Promise<string> => {
    for (;;) {
      const line = lines().find((l) => l.includes(` refresh ${n}: `))
      if (line !== undefined) return line
      if (child.exitCode !== null) throw new Error(`watch exited ${child.exitCode} before refresh ${n}: ${err}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        child.once('close', () => resolve())
      })
    }
  }
  return { child, stdout: () => out, stderr: () => err, lines, refresh, exited }
}

const summaryOf = (home: string): RunSummary =>
  JSON.parse(readFileSync(join(home, 'out', 'summary.json'), 'utf8')) as RunSummary

describe('ttapi watch', () => {
  it.each([
    [['watch', '--interval', '0'], 'error: ttapi watch: expected --interval to be a number from 0.01 up, got `0`'],
    [['watch', '--refreshes', '1.5'], 'error: ttapi watch: expected --refreshes to be an integer from 1 up, got `1.5`'],
    [['watch', '--cached'], "error: ttapi watch: unknown option '--cached'"],
  ])('%j: exit 2, one line, then the help; nothing runs', async (args, line) => {
    const r = await runCli(args, dir)
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([line, '', expect.stringContaining('Usage: ttapi watch')])
    expect(r.stdout).toBe('')
  })

  it('collects again when the quotes expire (the default interval is the quote TTL), the columns stay in memory', async () => {
    const home = join(dir, 'h-expire')
    const w = startWatch(['--quote-ttl', '0.5', '--refreshes', '3'], home)
    expect(await w.exited, w.stderr()).toBe(0)
    const lines = w.lines()
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/ refresh 1: quotes collected \(no cached quotes for this universe\), data re-imported/)
    for (const line of lines.slice(1))
      expect(line).toMatch(/ refresh \d: quotes collected \(expired\), data unchanged;/)
    for (const line of lines) expect(line).toMatch(/; collection [\d.]+ m?s, import .* total [\d.]+ m?s; rss \d+ MB$/)
    const s = summaryOf(home)
    expect(s.stages.map((st) => st.source)).toEqual(['source', 'cache', 'computed'])
    expect(s.symbols.slice(0, 6).every((x) => x.last !== null && x.stats?.rows === 300)).toBe(true)
    expect(w.stderr()).toBe('')
  })

  it('re-imports an appended data file, then keeps the last good summaries when the file turns corrupt', async () => {
    const home = join(dir, 'h-data')
    const csv = join(dir, 'data', 'part-0001.csv')
    const original = readFileSync(csv, 'utf8')
    const w = startWatch(['--interval', '3600', '--quote-ttl', '3600'], home)
    try {
      expect(await w.refresh(1)).toMatch(/data re-imported/)
      const before = summaryOf(home).symbols.find((x) => x.symbol === 'MMM')!
      expect(before.stats?.rows).toBe(300)

      // One more day of MMM (the file's last symbol): the watcher wakes the session, which re-imports.
      appendFileSync(csv, `${original.endsWith('\n') ? '' : '\n'}MMM,2026-11-02,167.2,170,166.5,169.9,3000000\n`)
      const appended = await w.refresh(2)
      expect(appended).toMatch(/ refresh 2: quotes cached, data re-imported \(/)
      const good = readFileSync(join(home, 'out', 'summary.json'), 'utf8')
      const after = (JSON.parse(good) as RunSummary).symbols.find((x) => x.symbol === 'MMM')!
      expect(after.stats?.rows).toBe(301)
      // Reference: a day that closed above the day before cannot deepen the maximum drawdown.
      expect(after.stats?.maxDrawdown).toBe(before.stats?.maxDrawdown)

      // The file replaced (atomically, as an editor saves) by bytes that are no CSV.
      writeFileSync(`${csv}.new`, Buffer.from([0, 1, 2, 0xff, 0xfe, 0x47, 0x41]))
      renameSync(`${csv}.new`, csv)
      const corrupt = await w.refresh(3)
      expect(corrupt).toContain(csv)
      expect(corrupt).toMatch(/; summaries kept from refresh 2$/)
      expect(readFileSync(join(home, 'out', 'summary.json'), 'utf8')).toBe(good)
      expect(readFileSync(join(home, 'out', 'summary.md'), 'utf8')).toContain('| MMM |')
    } finally {
      writeFileSync(csv, original)
      w.child.kill('SIGTERM')
    }
    expect(await w.exited).toBe(0)
  })

  it('SIGTERM mid-refresh: the refresh in progress ends, the process exits 0, every file is whole', async () => {
    const home = join(dir, 'h-term')
    // Cold refreshes back to back at 300 ms a quote: a refresh is always in progress, collecting.
    const w = startWatch(['--cold', '--interval', '0.01', '--server-latency', '300'], home)
    await w.refresh(1)
    await new Promise((resolve) => setTimeout(resolve, 100))
    w.child.kill('SIGTERM')
    expect(await w.exited, w.stderr()).toBe(0)
    const s = summaryOf(home)
    expect(s.symbols.slice(0, 6).every((x) => x.last !== null && x.stats?.rows === 300)).toBe(true)
    expect(readFileSync(join(home, 'out', 'summary.md'), 'utf8')).toMatch(/^# ttapi run — cold\n[\s\S]*\n$/)
    // No temp file of an atomic write is left beside the summaries.
    expect(readdirSync(join(home, 'out')).sort()).toEqual(['summary.json', 'summary.md'])
    expect(w.stderr()).toBe('')
  })

  it('keeps its resident memory flat over 200 refreshes', async () => {
    const home = join(dir, 'h-rss')
    const w = startWatch(['--interval', '0.01', '--quote-ttl', '3600', '--refreshes', '200'], home)
    expect(await w.exited, w.stderr()).toBe(0)
    const rss = w.lines().map((l) => Number(/; rss (\d+) MB/.exec(l)![1]))
    expect(rss).toHaveLength(200)
    // Least-squares slope over refreshes 21..200 (the first ones warm the JIT and the heap).
    const ys = rss.slice(20)
    const n = ys.length
    const mx = (n - 1) / 2
    const my = ys.reduce((a, b) => a + b, 0) / n
    let sxy = 0
    let sxx = 0
    ys.forEach((y, i) => {
      sxy += (i - mx) * (y - my)
      sxx += (i - mx) ** 2
    })
    const slope = sxy / sxx
    console.log(
      `watch: rss ${rss[0]} MB at refresh 1, ${rss[20]} MB at 21, ${rss[199]} MB at 200; slope ${slope.toFixed(3)} MB/refresh over 21..200`,
    )
    // Generous: a leak of a rendered summary (~10 kB) per refresh would not show; one of the columns (~100 kB) would
    // show as 18 MB over the 180 refreshes.
    expect(rss[199]! - rss[20]!).toBeLessThan(24)
    expect(slope).toBeLessThan(0.1)
  })
})
