import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import { main } from '../src/cli.ts'
import { captureIO as io, tempDir } from './_runs.ts'

describe('report --format html', () => {
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

  it("draws the trends of main and of the runs compared, and reads no other pull request's runs", async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 8, days: 6, labels: ['main', 'pr-a', 'pr-b'], cases: 3, samples: 12 })
    const out = join(dir, 'report.html')
    expect(await main(['--history', dir, '--format', 'html', '--out', out], io().io)).toBe(0)
    const html = readFileSync(out, 'utf8')
    const data = JSON.parse(/<script id="ttapi-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!) as {
      runs: { label: string; date: string }[]
      series: { run: number[] }[]
    }
    expect(data.series).toHaveLength(3)
    for (const s of data.series)
      // The six main runs, then the current run (the newest: pr-b of the last day); no pr-a run, no older pr-b.
      expect(s.run.map((i) => `${data.runs[i]!.date} ${data.runs[i]!.label}`)).toEqual([
        ...['01', '02', '03', '04', '05', '06'].map((d) => `2026-01-${d} main`),
        '2026-01-06 pr-b',
      ])
    // Only those 7 files' aggregates were computed (and cached): the other 10 files were never read for trends.
    expect(readdirSync(join(dir, '.report-index', 'aggregates')).sort()).toEqual(
      [
        ...['01', '02', '03', '04', '05', '06'].map((d) => `2026-01-${d}_main.ndjson.agg`),
        '2026-01-06_pr-b.ndjson.agg',
      ].sort(),
    )
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
})
