import { appendFileSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { loadHistory } from '../src/load-history.ts'
import { INDEX_DIR, loadRunIndex } from '../src/run-index.ts'
import { syntheticRecord, writeSyntheticHistory } from '../src/_synthetic.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import { tempDir, writeLines } from './_runs.ts'

function io(cwd: string): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd, color: false }, out, err }
}

const run = { id: 'run-x', label: 'pr-1', startedAt: '2026-03-01T12:00:00.000Z', commit: 'feedface00' }
const rec = (c: string, samples = [1, 2, 3]) =>
  syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: c, samples })

/** A history with several files and runs, and bad lines of every kind in one file. */
function messyHistory(): string {
  const dir = tempDir()
  writeSyntheticHistory(dir, { seed: 7, days: 3, labels: ['main', 'pr'], cases: 5, samples: 10 })
  const torn = JSON.stringify(rec('torn')).slice(0, 200)
  writeLines(dir, '2026-03-01_pr-1.ndjson', [
    rec('a'),
    '{"schema": "ttapi.bench/v2", ', // malformed JSON
    rec('b', [1, -2, 3]), // negative sample
    rec('c'),
    torn, // a torn line between two records of run-x: it lost one
    rec('a'), // duplicate case of run-x
    rec('d'),
  ])
  return dir
}

/** What `report list --format json` said before the index: the same fields from the full reader. */
async function listFromFullHistory(dir: string): Promise<unknown> {
  const h = await loadHistory(dir)
  return {
    dir: h.dir,
    runs: h.runs.map((r) => ({
      id: r.id,
      date: r.date,
      startedAt: r.startedAt,
      label: r.label,
      branch: r.branch,
      commit: r.commit,
      dirty: r.dirty,
      fingerprint: r.fingerprint,
      fingerprints: r.fingerprints,
      machine: r.machine,
      selections: r.selectionKnown ? r.selections : null,
      profile: [...new Set(r.selections.map((x) => x.profile))].join('+'),
      cases: r.records.length,
      files: r.files,
    })),
    badLines: h.badLines,
  }
}

describe('loadRunIndex and report list (issue 18)', () => {
  it('lists the same runs, counts and bad lines as the full reader, bad lines named by file:line', async () => {
    const dir = messyHistory()
    const t = io(dir)
    expect(await main(['list', '--history', dir, '--format', 'json'], t.io)).toBe(0)
    const listed = JSON.parse(t.out.join('')) as { badLines: { file: string; line: number; reason: string }[] }
    expect(listed).toEqual(await listFromFullHistory(dir))
    expect(listed.badLines.map((b) => `${b.file}:${b.line}`)).toEqual(
      [2, 3, 5, 6].map((n) => `2026-03-01_pr-1.ndjson:${n}`),
    )
    expect(listed.badLines[0]!.reason).toMatch(/^malformed JSON/)
    expect(listed.badLines[1]!.reason).toContain('/samples_ms/1: must be >= 0')
    expect(listed.badLines[3]!.reason).toBe(
      'duplicate record of @ttapi/x/s/a in run run-x (first at 2026-03-01_pr-1.ndjson:1)',
    )
    // The torn line sits between two records of run-x: the run that lost it is named.
    expect(listed.badLines.find((b) => b.line === 5)).toMatchObject({ runs: ['run-x'] })
    const text = io(dir)
    expect(await main(['list', '--history', dir], text.io)).toBe(0)
    expect(text.out.join('')).toContain(`7 run(s), 33 record(s) in 7 file(s) under ${dir}; 4 bad line(s) excluded`)
  })

  it('reads an unchanged file from the cache and re-reads a file after an append', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 8, days: 4, labels: ['main'], cases: 3, samples: 5 })
    const first = await loadRunIndex(dir)
    expect(first.cachedFiles).toBe(0)
    expect(readdirSync(join(dir, INDEX_DIR)).sort()).toEqual(
      [...first.files.map((f) => `${f}.cases.json`), 'index.json'].sort(),
    )
    const second = await loadRunIndex(dir)
    expect(second.cachedFiles).toBe(4)
    expect(second).toEqual({ ...first, cachedFiles: 4 })

    // A new run appended to the newest file, then a bad line: the file is read again, the rest is not.
    const newest = first.files.at(-1)!
    const appended = { ...run, id: 'run-new', startedAt: '2026-01-04T23:00:00.000Z' }
    appendFileSync(
      join(dir, newest),
      `${JSON.stringify(syntheticRecord(appended, { package: '@ttapi/x', suite: 's', case: 'n', samples: [1] }))}\n{"torn\n`,
    )
    const third = await loadRunIndex(dir)
    expect(third.cachedFiles).toBe(3)
    expect(third.runs.map((r) => [r.id, r.cases])).toEqual([...first.runs.map((r) => [r.id, 3]), ['run-new', 1]])
    expect(third.recordCount).toBe(13)
    expect(third.badLines.map((b) => `${b.file}:${b.line}`)).toEqual([`${newest}:5`])
    expect((await loadRunIndex(dir)).cachedFiles).toBe(4)
  })

  it('re-reads a file whose size is unchanged but whose mtime moved, and rebuilds a torn cache', async () => {
    const dir = tempDir()
    writeSyntheticHistory(dir, { seed: 9, days: 2, labels: ['main'], cases: 2, samples: 5 })
    const before = await loadRunIndex(dir)
    const file = join(dir, before.files[0]!)
    // Same bytes count, one record made invalid: the cache must not hide it.
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('"unit":"ops"', '"unit":"opz"'))
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    const after = await loadRunIndex(dir)
    expect(after.cachedFiles).toBe(1)
    expect(after.badLines.map((b) => `${b.file}:${b.line}`)).toEqual([`${before.files[0]}:1`])
    writeFileSync(join(dir, INDEX_DIR, 'index.json'), '{"version":2,"sh')
    const rebuilt = await loadRunIndex(dir)
    expect(rebuilt.cachedFiles).toBe(0)
    expect(rebuilt.runs).toEqual(after.runs)
  })
})
