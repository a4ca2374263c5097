import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import { main } from '../src/cli.ts'
import { tempDir } from './_runs.ts'

function io(): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), cwd: process.cwd(), color: false },
  }
}

describe('report --format html and changepoints', () => {
  it('writes the HTML report for a generated history', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 3, days: 12, labels: ['main'], cases: 3, samples: 20 })
    const out = join(dir, 'report.html')
    const t = io()
    expect(await main(['--history', dir, '--format', 'html', '--out', out], t.io)).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('id="ttapi-data"')
    expect((html.match(/data-series="/g) ?? []).length).toBeGreaterThan(0)
  })

  it('shows the profiles of both runs side by side and names an unreadable one', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 3, days: 4, labels: ['main'], cases: 2, samples: 20 })
    // The last two files are the baseline (newest main before current) and current runs.
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .sort()
    const first = (f: string): { suite: string; case: string; run: { id: string } } =>
      JSON.parse(readFileSync(join(dir, f), 'utf8').split('\n')[0]!) as {
        suite: string
        case: string
        run: { id: string }
      }
    const [base, cur] = [first(files.at(-2)!), first(files.at(-1)!)]
    const profiles = join(dir, 'profiles')
    mkdirSync(profiles)
    const prof = (fn: string): string =>
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
          { id: 2, callFrame: { functionName: fn, url: 'file:///x.js', lineNumber: 0, columnNumber: 0 } },
        ],
        startTime: 0,
        endTime: 3000,
        samples: [2, 2, 2],
        timeDeltas: [0, 1000, 1000],
      })
    writeFileSync(join(profiles, `${base.suite}_${base.case}_${base.run.id}.cpuprofile`), prof('decodeOld'))
    writeFileSync(join(profiles, `${cur.suite}_${cur.case}_${cur.run.id}.cpuprofile`), prof('decodeNew'))
    const t = io()
    const out = join(dir, 'report.html')
    expect(await main(['--history', dir, '--format', 'html', '--out', out], t.io)).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toContain('Where the time goes')
    expect(html).toContain('decodeOld')
    expect(html).toContain('decodeNew')
    writeFileSync(join(profiles, `${cur.suite}_${cur.case}_${cur.run.id}.cpuprofile`), 'not json')
    expect(await main(['--history', dir, '--format', 'html', '--out', out], io().io)).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/profile [^<]*\.cpuprofile left out/)
  })

  it('lists change points as JSON and rejects a bad option', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 4, days: 12, labels: ['main'], cases: 2, samples: 20 })
    const t = io()
    expect(await main(['changepoints', '--history', dir, '--format', 'json'], t.io)).toBe(0)
    const parsed = JSON.parse(t.out.join('')) as { options: { maxPValue: number }; change_points: unknown[] }
    expect(parsed.options.maxPValue).toBe(1e-5)
    expect(Array.isArray(parsed.change_points)).toBe(true)
    const bad = io()
    expect(await main(['changepoints', '--history', dir, '--window', 'x'], bad.io)).toBe(2)
    expect(bad.err.join('')).toMatch(/--window to be a number/)
  })
})
