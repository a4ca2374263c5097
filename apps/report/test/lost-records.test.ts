import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { loadHistory } from '../src/load-history.ts'
import { syntheticRecord } from '../src/_synthetic.ts'
import { runIdsInText } from '../src/_lost-records.ts'
import { tempDir } from './_runs.ts'

const run1 = {
  id: '20261126T100000Z-aaaaaa',
  label: 'main',
  startedAt: '2026-11-26T10:00:00.000Z',
  commit: 'a'.repeat(40),
}
const run2 = {
  id: '20261127T100000Z-bbbbbb',
  label: 'main',
  startedAt: '2026-11-27T10:00:00.000Z',
  commit: 'b'.repeat(40),
}
const rec = (run: typeof run1, c: string): string =>
  JSON.stringify(syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: c, samples: [1, 2, 3, 4, 5] }))

/**
 * The issue's history: run 1 (cases a, b, c) whose last append was torn mid-line, then run 2's only
 * record glued onto the torn tail by an appender that did not check for the final newline.
 */
function tornHistory(): string {
  const dir = join(tempDir(), 'benchmarks')
  mkdirSync(dir)
  const torn = rec(run1, 'c').slice(0, 150)
  writeFileSync(join(dir, '2026-11-26_main.ndjson'), `${rec(run1, 'a')}\n${rec(run1, 'b')}\n${torn}${rec(run2, 'a')}\n`)
  return dir
}

async function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: process.cwd(),
    color: false,
  })
  return { code, stdout, stderr }
}

describe('lost records', () => {
  it('finds both run ids in a record glued onto a torn one', () => {
    const glued = `${rec(run1, 'c').slice(0, 150)}${rec(run2, 'a')}`
    expect(runIdsInText(glued)).toEqual([run1.id, run2.id])
    expect(runIdsInText('{"schema":"ttapi.bench/v1","ru')).toEqual([])
  })

  it('marks a glued line with the runs it lost, and a nameless bad line with the run around it', async () => {
    const dir = tornHistory()
    writeFileSync(join(dir, '2026-11-25_main.ndjson'), `${rec(run1, 'x')}\n{"garbage\n${rec(run1, 'y')}\n`)
    const h = await loadHistory(dir)
    expect(h.runs.map((r) => r.id)).toEqual([run1.id])
    expect(h.badLines.map((b) => [b.file, b.line, b.runs])).toEqual([
      ['2026-11-25_main.ndjson', 2, [run1.id]],
      ['2026-11-26_main.ndjson', 3, [run1.id, run2.id]],
    ])
  })

  it('every report format warns that the newest run lost its record and which line it was', async () => {
    const dir = tornHistory()
    const newest = `WARNING: run ${run2.id} (newer than the current run ${run1.id}, which is shown instead) lost 1 record: benchmarks/2026-11-26_main.ndjson:3 is not a whole line`
    const current = `WARNING: run ${run1.id} (the current run) lost 1 record: benchmarks/2026-11-26_main.ndjson:3 is not a whole line`
    for (const format of ['terminal', 'md', 'json', 'html']) {
      const out = join(dir, '..', `report.${format}`)
      const r = await report(['--history', dir, '--format', format, '--out', out])
      expect(r.code, r.stderr).toBe(0)
      const text = readFileSync(out, 'utf8')
      const shown = format === 'html' ? text.replaceAll('&#39;', "'") : text
      expect(shown, format).toContain(newest)
      expect(shown, format).toContain(current)
      expect(r.stderr).toContain(`report: ${newest}\n`)
    }
    const json = JSON.parse(readFileSync(join(dir, '..', 'report.json'), 'utf8')) as { notes: string[] }
    expect(json.notes.slice(0, 2).sort()).toEqual([current, newest].sort())
  })

  it('says nothing when no run of the comparison lost a record', async () => {
    const dir = join(tempDir(), 'benchmarks')
    mkdirSync(dir)
    writeFileSync(join(dir, '2026-11-26_main.ndjson'), `${rec(run1, 'a')}\n${rec(run1, 'b')}\n`)
    const r = await report(['--history', dir, '--format', 'md'])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('WARNING')
  })
})
