// Issue 18, point 3: `report compact` moves whole older days into monthly Parquet files losslessly. The
// reference is the history before compaction: every command prints the same bytes after it, every record
// reads back deep-equal (raw samples in measured order), every Parquet row joins back to the NDJSON bytes
// (read with DuckDB, independently of the report's readers), and a compaction stopped or SIGKILLed at each
// step leaves a history that reads as the original did.
import { spawn } from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { compactHistory } from '../src/compact-history.ts'
import type { CompactStep } from '../src/compact-history.ts'
import { loadHistory } from '../src/load-history.ts'
import { loadRunIndex } from '../src/run-index.ts'
import { syntheticRecord, writeSyntheticHistory } from '../src/_synthetic.ts'
import { captureIO, tempDir } from './_runs.ts'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')
const CLI = join(ROOT, 'apps/report/src/cli.ts')

/** Days before this one are compacted: every synthetic day (January-February) and the committed 2026-11-27 files. */
const BEFORE = '2026-12-07'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function newDir(): string {
  const dir = tempDir('ttapi-compact-')
  dirs.push(dir)
  return dir
}

/** Committed runs the history holds: v1 records of the Intel VM (compacted) and a v2 run of the AMD VM (kept). */
const COMMITTED = ['2026-11-27_main.ndjson', '2026-11-27_main-full.ndjson', '2026-12-07_all-cases.ndjson']

/**
 * A generated history across a month boundary, the committed history's files (v1 and v2 records, real
 * runs), and in one old file a bad line, a CRLF line and a torn last line (no newline).
 */
function history(): string {
  const dir = newDir()
  writeSyntheticHistory(dir, { seed: 18, days: 6, labels: ['main', 'pr'], cases: 6, samples: 12, start: '2026-01-29' })
  // Named, not listed: a dated run committed later (or a git-ignored scratch run on disk) must not change the test.
  for (const f of COMMITTED) copyFileSync(join(ROOT, 'benchmarks', f), join(dir, f))
  const run = { id: 'run-crlf', label: 'side', startedAt: '2026-02-01T05:00:00.000Z', commit: 'c0ffee0000' }
  const crlf = JSON.stringify(
    syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: 'crlf', samples: [3, 1, 2] }),
  )
  const torn = JSON.stringify(syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: 'torn', samples: [1] }))
  appendFileSync(join(dir, '2026-02-01_main.ndjson'), `not json at all\n${crlf}\r\n${torn.slice(0, 150)}`)
  return dir
}

/** What a user sees: `report ARGS --history DIR` in process (exit code, stdout, stderr); `generatedAt` blanked. */
async function report(dir: string, args: string[]): Promise<string> {
  const { io, out, err } = captureIO()
  const code = await main([...args, '--history', dir], io)
  return `exit ${code}\n${out.join('').replace(/"generatedAt": "[^"]*"/, '"generatedAt": ""')}\n${err.join('')}`
}

/** The commands whose output must not change. */
const COMMANDS: string[][] = [
  ['list', '--wide'],
  ['list', '--format', 'json'],
  ['--format', 'json'],
  ['--format', 'json', '--current', 'pr'],
  ['--wide', '--current', 'pr', '--baseline', 'main'],
  ['history', 'case_1'],
  ['history', 'crlf'],
  ['changepoints'],
  ['changepoints', 'case_2'],
]

async function outputs(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const args of COMMANDS) out.push(await report(dir, args))
  return out
}

/** Every run, record and bad line the full reader gives, as JSON. */
async function records(dir: string): Promise<string> {
  const h = await loadHistory(dir)
  return JSON.stringify({ files: h.files, recordCount: h.recordCount, runs: h.runs, badLines: h.badLines })
}

/** The NDJSON files' bytes by name. */
function ndjsonBytes(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => [f, readFileSync(join(dir, f))]),
  )
}

describe('report compact (issue 18)', () => {
  it('moves the older days into monthly Parquet files and every command reads the same', async () => {
    const dir = history()
    const before = await outputs(dir)
    const full = await records(dir)
    const index = await loadRunIndex(dir)
    const bytes = ndjsonBytes(dir)
    expect(before[0]).toContain('2 bad line(s) excluded')

    expect(await report(dir, ['compact', '--before', BEFORE])).toMatch(/^exit 0\n/)
    const left = readdirSync(dir).filter((f) => !f.startsWith('.'))
    expect(left.sort()).toEqual([
      '2026-01.parquet',
      '2026-02.parquet',
      '2026-11.parquet',
      '2026-12-07_all-cases.ndjson',
    ])

    expect(await outputs(dir)).toEqual(before)
    expect(await records(dir)).toBe(full)
    const after = await loadRunIndex(dir)
    expect({ ...after, cachedFiles: 0 }).toEqual({ ...index, cachedFiles: 0 })

    // Independently of the report's readers: each moved file's rows, in line order, join back to its bytes.
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const rows = (
      await connection.runAndReadAll(
        `SELECT file, line, text FROM read_parquet('${join(dir, '*.parquet')}') ORDER BY file, line`,
      )
    ).getRows() as [string, number, string][]
    connection.closeSync()
    instance.closeSync()
    const joined = new Map<string, string[]>()
    for (const [file, line, text] of rows) {
      const list = joined.get(file) ?? []
      expect(line).toBe(list.length + 1)
      list.push(text)
      joined.set(file, list)
    }
    const moved = [...bytes.keys()].filter((f) => f < BEFORE)
    expect([...joined.keys()].sort()).toEqual(moved)
    for (const f of moved) expect(Buffer.from(joined.get(f)!.join('\n'), 'utf8').equals(bytes.get(f)!)).toBe(true)
    // The raw samples in measured order: the CRLF line's record as written.
    const h = await loadHistory(dir)
    const crlf = h.runs.find((r) => r.id === 'run-crlf')!.records.find((r) => r.record.case === 'crlf')!
    expect(crlf.record.samples_ms).toEqual([3, 1, 2])
    expect(crlf.file).toBe('2026-02-01_main.ndjson')
  })

  it('writes row groups of at most 2,048 lines (a reader decompresses one at a time), and reads the same', async () => {
    const dir = newDir()
    writeSyntheticHistory(dir, { seed: 4, days: 30, labels: ['main', 'pr-a', 'pr-b'], cases: 100, samples: 3 })
    const full = await records(dir)
    expect(await report(dir, ['compact', '--before', '2026-02-01'])).toMatch(/^exit 0\n/)
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    const groups = (
      await connection.runAndReadAll(
        `SELECT row_group_id, row_group_num_rows FROM parquet_metadata('${join(dir, '2026-01.parquet')}') WHERE path_in_schema = 'text'`,
      )
    ).getRows() as [bigint, bigint][]
    connection.closeSync()
    instance.closeSync()
    // 9,000 records and each of the 90 files' empty text after its last newline: none in a group over 2,048.
    expect(groups.reduce((n, [, rows]) => n + Number(rows), 0)).toBe(9090)
    expect(groups.length).toBeGreaterThan(1)
    expect(groups.every(([, rows]) => rows <= 2048n)).toBe(true)
    expect(await records(dir)).toBe(full)
  })

  it('the run index caches a compacted file by the size and mtime of its Parquet file', async () => {
    const dir = history()
    await report(dir, ['compact', '--before', BEFORE])
    const first = await loadRunIndex(dir)
    expect(first.cachedFiles).toBe(0)
    const second = await loadRunIndex(dir)
    expect(second.cachedFiles).toBe(second.files.length)
    // A month rewritten (here only touched) re-reads its files only: February holds 6 (3 days x 2 labels).
    const feb = join(dir, '2026-02.parquet')
    utimesSync(feb, new Date(), new Date(Date.now() + 5_000))
    const third = await loadRunIndex(dir)
    expect(second.files.length - third.cachedFiles).toBe(6)
    expect({ ...third, cachedFiles: 0 }).toEqual({ ...first, cachedFiles: 0 })
  })

  it('a second compact is a no-op, and an NDJSON file appended after it is read', async () => {
    const dir = history()
    await report(dir, ['compact', '--before', BEFORE])
    const files = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])
    const again = await report(dir, ['compact', '--before', BEFORE])
    expect(again).toContain(`report compact: nothing before ${BEFORE} to compact`)
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs])).toEqual(files)

    const run = { id: 'run-new', label: 'main', startedAt: '2026-12-08T09:00:00.000Z', commit: 'abcdef1234' }
    const record = syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: 'case_1', samples: [5, 4, 6] })
    writeFileSync(join(dir, '2026-12-08_main.ndjson'), `${JSON.stringify(record)}\n`)
    const list = await report(dir, ['list', '--format', 'json'])
    expect(list).toContain('"id": "run-new"')
    const h = await loadHistory(dir)
    expect(h.runs.at(-1)!.id).toBe('run-new')
    expect(h.runs.at(-1)!.records[0]!.record.samples_ms).toEqual([5, 4, 6])
  })

  it('merges later days into a month already compacted, still reading the same', async () => {
    const dir = history()
    const before = await outputs(dir)
    await report(dir, ['compact', '--before', '2026-02-02'])
    expect(readdirSync(dir).filter((f) => f.startsWith('2026-02'))).toEqual([
      '2026-02-02_main.ndjson',
      '2026-02-02_pr.ndjson',
      '2026-02-03_main.ndjson',
      '2026-02-03_pr.ndjson',
      '2026-02.parquet',
    ])
    expect(await outputs(dir)).toEqual(before)
    await report(dir, ['compact', '--before', BEFORE])
    expect(readdirSync(dir).filter((f) => f.startsWith('2026-02'))).toEqual(['2026-02.parquet'])
    expect(await outputs(dir)).toEqual(before)
  })

  const steps: CompactStep[] = ['temp-written', 'renamed', 'first-source-removed']

  it.each(steps)(
    'a compaction failing after %s leaves a history that reads the same, and the next one finishes it',
    async (step) => {
      const dir = history()
      const original = await report(dir, ['--format', 'json'])
      const all = await outputs(dir)
      const full = await records(dir)
      await expect(
        compactHistory(dir, {
          before: BEFORE,
          onStep: (at, parquet) => {
            if (at === step && parquet === '2026-02.parquet') throw new Error(`injected failure after ${at}`)
          },
        }),
      ).rejects.toThrow(/injected failure/)
      expect(await report(dir, ['--format', 'json'])).toBe(original)
      expect(await records(dir)).toBe(full)
      await compactHistory(dir, { before: BEFORE })
      expect(await outputs(dir)).toEqual(all)
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    },
  )

  it.each([...steps, 'first-month-done'])(
    'a compaction SIGKILLed at %s leaves a history that reads the same',
    async (step) => {
      const dir = history()
      const original = await report(dir, ['--format', 'json'])
      const all = await outputs(dir)
      const stopAt = step === 'first-month-done' ? undefined : step
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'compact', '--before', BEFORE, '--history', dir], {
        env: { ...process.env, TTAPI_COMPACT_STOP: stopAt ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)))
      await new Promise<void>((ready, fail) => {
        const check = (): void => {
          // The second month is being written when the first month's line is out.
          if (stopAt === undefined ? out.includes('2026-01.parquet:') : out.includes(`stopped at ${step}`)) ready()
        }
        child.stdout.on('data', (b: Buffer) => ((out += b.toString()), check()))
        child.stderr.on('data', (b: Buffer) => ((out += b.toString()), check()))
        child.on('exit', () => fail(new Error(`compact exited before ${step}: ${out}`)))
      })
      child.kill('SIGKILL')
      expect(await exited).toBe('SIGKILL')
      expect(await report(dir, ['--format', 'json'])).toBe(original)
      expect(await outputs(dir)).toEqual(all)
      expect(await report(dir, ['compact', '--before', BEFORE])).toMatch(/^exit 0\n/)
      expect(await outputs(dir)).toEqual(all)
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.ndjson'))).toEqual([
        '2026-12-07_all-cases.ndjson',
      ])
    },
  )

  it('refuses to replace a compacted file by an NDJSON file of the same name written after it (exit 1, nothing changed)', async () => {
    const dir = history()
    await report(dir, ['compact', '--before', BEFORE])
    const run = { id: 'run-late', label: 'main', startedAt: '2026-01-30T09:00:00.000Z', commit: 'abcdef1234' }
    const record = syntheticRecord(run, { package: '@ttapi/x', suite: 's', case: 'late', samples: [1] })
    writeFileSync(join(dir, '2026-01-30_main.ndjson'), `${JSON.stringify(record)}\n`)
    const files = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size])
    expect(await report(dir, ['compact', '--before', BEFORE])).toMatch(
      /^exit 1\n\nreport compact: 2026-01-30_main.ndjson \(\d+ bytes\) does not begin with its \d+ bytes compacted in 2026-01.parquet: /,
    )
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size])).toEqual(files)
  })

  it('refuses a second compaction while one runs (exit 1, its temp file untouched), and takes over from a killed one', async () => {
    const dir = history()
    const all = await outputs(dir)
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'compact', '--before', BEFORE, '--history', dir], {
      env: { ...process.env, TTAPI_COMPACT_STOP: 'temp-written' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<void>((done) => child.on('exit', () => done()))
    await new Promise<void>((ready) => {
      let out = ''
      child.stderr.on('data', (b: Buffer) => ((out += b.toString()), out.includes('stopped at') && ready()))
    })
    const files = readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size])
    expect(files.some(([f]) => String(f).endsWith('.tmp'))).toBe(true)
    expect(await report(dir, ['compact', '--before', BEFORE])).toBe(
      `exit 1\n\nreport compact: another compaction (pid ${child.pid}) is compacting ${dir}; try again when it ends\n`,
    )
    expect(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size])).toEqual(files)
    child.kill('SIGKILL')
    await exited
    expect(await report(dir, ['compact', '--before', BEFORE])).toMatch(/^exit 0\n/)
    expect(await outputs(dir)).toEqual(all)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.startsWith('.lock'))).toEqual([])
  })

  it('refuses bad flags with one line and exit 2', async () => {
    const dir = history()
    expect(await report(dir, ['compact', '--before', '2026-02-30'])).toBe(
      'exit 2\n\nreport compact: expected --before to be a day YYYY-MM-DD, got "2026-02-30"\n',
    )
    expect(await report(dir, ['compact', '--keep-days', '-3'])).toMatch(/^exit 2\n\nreport: /)
    expect(await report(dir, ['compact', '--keep-days', 'x'])).toBe(
      'exit 2\n\nreport compact: expected --keep-days to be an integer from 0 up, got "x"\n',
    )
    expect(await report(dir, ['compact', '--keep-days', '3', '--before', BEFORE])).toBe(
      'exit 2\n\nreport compact: give --keep-days or --before, not both\n',
    )
  })
})
