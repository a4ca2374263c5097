// `report list` on a long history: the newest 50 runs in a table by default (a decade is 10,000 lines), --last N,
// --all, JSON lists every run; bad values of the flags are usage errors naming the flag.
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { writeSyntheticHistory } from '../src/_synthetic.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import { tempDir } from './_runs.ts'

function io(): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: tempDir(), color: false }, out, err }
}

/** 60 days of one `main` run a day: run ids carry their day, oldest first. */
function sixtyDays(): string {
  const dir = tempDir()
  writeSyntheticHistory(dir, { seed: 3, days: 60, labels: ['main'], cases: 2, samples: 5 })
  return dir
}

/** The run dates a table shows, in order (the first column of each data row). */
const datesIn = (text: string): string[] => [...text.matchAll(/^\| (\d{4}-\d\d-\d\d) /gm)].map((m) => m[1]!)

describe('report list', () => {
  const dir = sixtyDays()

  it('shows the newest 50 of 60 runs by default and says how to see the rest', async () => {
    const t = io()
    expect(await main(['list', '--history', dir, '--format', 'md'], t.io)).toBe(0)
    const text = t.out.join('')
    const dates = datesIn(text)
    expect(dates).toHaveLength(50)
    // 2026-01-01 + 10 days: the 11th of 60 days is the oldest shown; the 60th (2026-03-01) the newest.
    expect([dates[0], dates.at(-1)]).toEqual(['2026-01-11', '2026-03-01'])
    expect(text).toContain('the newest 50 of 60 runs shown (--last N, --all for more); 60 run(s), 120 record(s)')
  })

  it('--last N shows the newest N, --all every run, and JSON every run unless --last', async () => {
    const last = io()
    expect(await main(['list', '--history', dir, '--format', 'md', '--last', '3'], last.io)).toBe(0)
    expect(datesIn(last.out.join(''))).toEqual(['2026-02-27', '2026-02-28', '2026-03-01'])
    const all = io()
    expect(await main(['list', '--history', dir, '--format', 'md', '--all'], all.io)).toBe(0)
    expect(datesIn(all.out.join(''))).toHaveLength(60)
    expect(all.out.join('')).not.toContain('newest')
    const json = io()
    expect(await main(['list', '--history', dir, '--format', 'json'], json.io)).toBe(0)
    expect((JSON.parse(json.out.join('')) as { runs: unknown[] }).runs).toHaveLength(60)
    const json2 = io()
    expect(await main(['list', '--history', dir, '--format', 'json', '--last', '2'], json2.io)).toBe(0)
    expect((JSON.parse(json2.out.join('')) as { runs: { date: string }[] }).runs.map((r) => r.date)).toEqual([
      '2026-02-28',
      '2026-03-01',
    ])
  })

  it.each([
    [['--last', '0'], 'report: --last expects a whole number from 1, got 0'],
    [['--last', 'ten'], 'report: --last expects a whole number from 1, got ten'],
    [['--last', '2', '--all'], 'report: --last and --all contradict each other; give one'],
  ])('%j is a usage error (exit 2, one line)', async (flags, message) => {
    const t = io()
    expect(await main(['list', '--history', dir, ...flags], t.io)).toBe(2)
    expect(t.err.join('').trim().split('\n')[0]).toBe(message)
  })
})
