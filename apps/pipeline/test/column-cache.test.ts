// The column cache's memory tier: kept buffers that hold the cached column file are served without reading it, and
// anything that changes the data files or the disk cache is still seen (stale, corrupt, missing all fall back).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TtlCache } from '@ttapi/cache'
import type { CacheWarning } from '@ttapi/cache'
import { columnsDir } from '../src/column-cache.ts'
import { importStage } from '../src/import-stage.ts'
import { writeSyntheticMarket } from '../src/synthetic-data.ts'
import { Terminal } from '../src/terminal.ts'
import type { KeptColumns, RunMode } from '../src/types.ts'
import { cutFile, flipLastByte, tempDir, touchLater } from './_files.ts'

const silent = new Terminal({ stdout: () => {}, stderr: () => {}, stderrIsTTY: false, color: false, ci: true })
let dir: string
let data: string
let cacheDir: string
let warnings: CacheWarning[]

beforeEach(async () => {
  dir = tempDir('ttapi-columns-')
  data = join(dir, 'data')
  cacheDir = join(dir, 'cache')
  warnings = []
  await writeSyntheticMarket(data, 'tiny', 'csv', 1)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** One import stage with a fresh cache instance (as each run has), finished with its cache write. */
async function importOnce(mode: RunMode, kept: KeptColumns): Promise<Awaited<ReturnType<typeof importStage>>> {
  const cache = new TtlCache({ dir: join(cacheDir, 'entries'), ttl: 60_000, onWarning: (w) => void warnings.push(w) })
  const r = await importStage({ mode, dataDir: data, cache, cacheDir, terminal: silent, warnings, reuse: kept })
  await r.cacheWrite
  await cache.flush()
  return r
}

function columnFile(): string {
  const [name] = readdirSync(columnsDir(cacheDir)).filter((f) => f.endsWith('.parquet'))
  return join(columnsDir(cacheDir), name!)
}

/** The close column as plain numbers, to compare tables that may share buffers. */
const closes = (r: Awaited<ReturnType<typeof importStage>>): number[] => Array.from(r.table!.close)

describe('column cache memory tier', () => {
  it('serves the kept table when it holds the cached file; a new process (no kept table) reads the disk', async () => {
    const kept: KeptColumns = { table: null }
    const cold = await importOnce('cold', kept)
    expect(cold.report.source).toBe('data')
    expect(kept.holds).toEqual(expect.any(String))
    const expected = closes(cold)

    const memory = await importOnce('cached', kept)
    expect(memory.report.source).toBe('cache')
    expect(memory.report.note).toContain('from the column cache (memory)')
    expect(memory.table).toBe(kept.table)
    expect(closes(memory)).toEqual(expected)

    const fresh: KeptColumns = { table: null }
    const disk = await importOnce('cached', fresh)
    expect(disk.report.note).toContain('from the column cache (disk)')
    expect(fresh.holds).toEqual(expect.any(String))
    expect(closes(disk)).toEqual(expected)
    expect((await importOnce('cached', fresh)).report.note).toContain('(memory)')
  })

  it('a changed data file makes the kept table stale: the run imports the files again', async () => {
    const kept: KeptColumns = { table: null }
    const before = closes(await importOnce('cold', kept))
    expect((await importOnce('cached', kept)).report.note).toContain('(memory)')

    // Double every close of the first CSV file (same size or not, its mtime moves).
    const [csv] = readdirSync(data).filter((f) => f.endsWith('.csv'))
    const file = join(data, csv!)
    const lines = readFileSync(file, 'utf8').split('\n')
    const header = lines[0]!.split(',')
    const close = header.findIndex((h) => /^close$/i.test(h))
    expect(close).toBeGreaterThan(0)
    const changed = lines.map((line, i) => {
      if (i === 0 || line === '') return line
      const cells = line.split(',')
      cells[close] = String(Number(cells[close]) * 2)
      return cells.join(',')
    })
    writeFileSync(file, changed.join('\n'))
    touchLater(file, 5_000)

    const stale = await importOnce('cached', kept)
    expect(stale.report.source).toBe('data')
    expect(stale.report.fallback).toMatch(/^cached columns are stale: the data files changed after /)
    expect(closes(stale)).not.toEqual(before)
    const after = closes(stale)
    // The cold fallback refilled the cache from the kept buffers, which now hold the new file.
    const again = await importOnce('cached', kept)
    expect(again.report.note).toContain('(memory)')
    expect(closes(again)).toEqual(after)
  })

  it('a corrupt or rewritten column file is read from disk, and a corrupt one still falls back to cold', async () => {
    const kept: KeptColumns = { table: null }
    const expected = closes(await importOnce('cold', kept))
    const file = columnFile()
    const size = statSync(file).size

    // Same size, garbage content: the memory tier must not hide it.
    writeFileSync(file, Buffer.alloc(size, 0x55))
    const garbage = await importOnce('cached', kept)
    expect(garbage.report.source).toBe('data')
    expect(garbage.report.fallback).toMatch(/^corrupt column cache: /)
    expect(closes(garbage)).toEqual(expected)
    expect((await importOnce('cached', kept)).report.note).toContain('(memory)')

    cutFile(columnFile(), 1000)
    const truncated = await importOnce('cached', kept)
    expect(truncated.report.fallback).toMatch(
      /^corrupt column cache: .+: truncated or replaced: 1000 bytes, \d+ were written$/,
    )
    expect(closes(truncated)).toEqual(expected)
  })

  it('damage that still decodes (bytes changed inside a page, another market of the same size) is a checksum mismatch', async () => {
    const kept: KeptColumns = { table: null }
    const expected = closes(await importOnce('cold', kept))
    const file = columnFile()
    const original = readFileSync(file)

    // 4 KB in the middle of the file: inside the price pages, so the file still reads back, with other values.
    const flipped = Buffer.from(original)
    const mid = flipped.length >> 1
    for (let i = mid; i < mid + 4096; i++) flipped[i] = flipped[i]! ^ 0x5a
    writeFileSync(file, flipped)
    const r = await importOnce('cached', { table: null })
    expect(r.report.source).toBe('data')
    expect(r.report.fallback).toMatch(
      new RegExp(`^corrupt column cache: ${file}: checksum mismatch \\(stored [0-9a-f]{32}, computed [0-9a-f]{32}\\)$`),
    )
    expect(closes(r)).toEqual(expected)

    // A valid column file of another market (seed 2: same symbols, days and size, other prices).
    const other = join(dir, 'other')
    await writeSyntheticMarket(other, 'tiny', 'csv', 2)
    const { importCsv, writeParquet } = await import('@ttapi/columnar-io')
    const foreign = join(dir, 'other.parquet')
    await writeParquet((await importCsv(other)).table, foreign, { compression: 'none' })
    const replacement = readFileSync(foreign)
    expect(replacement.length).toBe(original.length)
    writeFileSync(file, replacement)
    const replaced = await importOnce('cached', { table: null })
    expect(replaced.report.fallback).toMatch(/^corrupt column cache: .+: checksum mismatch/)
    expect(closes(replaced)).toEqual(expected)
  })

  it('a column cache written without a checksum (an older manifest) is re-imported', async () => {
    const kept: KeptColumns = { table: null }
    await importOnce('cold', kept)
    const cache = new TtlCache({ dir: join(cacheDir, 'entries') })
    const key = `columns:${data}`
    const manifest = (await cache.get<Record<string, unknown>>(key))!
    delete manifest.checksum
    await cache.set(key, { ...manifest, version: 1 }, { ttl: Infinity })
    await cache.flush()
    const r = await importOnce('cached', { table: null })
    expect(r.report.fallback).toBe('the cached columns were written without a checksum (an older ttapi)')
    expect((await importOnce('cached', { table: null })).report.note).toContain('(disk)')
  })

  it('a corrupt manifest falls back to cold with the cache warning, even when the kept table holds the columns', async () => {
    const kept: KeptColumns = { table: null }
    const expected = closes(await importOnce('cold', kept))
    const entries = join(cacheDir, 'entries')
    for (const f of readdirSync(entries)) flipLastByte(join(entries, f))
    const r = await importOnce('cached', kept)
    expect(r.report.source).toBe('data')
    expect(r.report.fallback).toMatch(
      /^corrupt column cache manifest: .+\.ttc: checksum mismatch \(stored [0-9a-f]{16}, computed [0-9a-f]{16}\)$/,
    )
    expect(warnings.some((w) => w.code === 'TTAPI_CACHE_CORRUPT')).toBe(true)
    expect(closes(r)).toEqual(expected)
  })

  it('a cleared cache is a miss, though the kept table still holds the columns', async () => {
    const kept: KeptColumns = { table: null }
    await importOnce('cold', kept)
    rmSync(cacheDir, { recursive: true, force: true })
    const r = await importOnce('cached', kept)
    expect(r.report.source).toBe('data')
    expect(r.report.fallback).toBe('no cached columns for this data directory')
  })
})

/** The stored byte ranges of a column file, as the reader reports them, by offset. */
async function rangesOf(file: string): Promise<{ offset: number; length: number }[]> {
  const { readParquet } = await import('@ttapi/columnar-io')
  const ranges: { offset: number; length: number }[] = []
  await readParquet(file, { onBytes: (offset, bytes) => void ranges.push({ offset, length: bytes.length }) })
  return ranges.sort((a, b) => a.offset - b.offset)
}

describe('column file checksum', () => {
  it('a byte flipped inside a page, in a page header or in the footer is a checksum mismatch', async () => {
    const expected = closes(await importOnce('cold', { table: null }))
    const file = columnFile()
    const original = readFileSync(file)
    const ranges = await rangesOf(file)
    // Pages of the tiny market's columns hold rows x 8 bytes (doubles) or rows x 4 (dates); headers a few dozen.
    const page = ranges.find((r) => r.length >= 4096)!
    const header = ranges.find((r) => r.offset + r.length === page.offset)!
    const footer = ranges.at(-1)!
    expect(footer.offset + footer.length).toBe(original.length)
    // The footer's `created_by` ("ttapi columnar-io"): damage there changes no value, so a checksum of the decoded
    // columns (the previous one) missed it.
    const createdBy = original.lastIndexOf(Buffer.from('ttapi columnar-io'))
    expect(createdBy).toBeGreaterThan(footer.offset)
    for (const [what, at] of [
      ['page', page.offset + (page.length >> 1)],
      ['page header', header.offset + header.length - 1],
      ['footer', createdBy + 2],
    ] as const) {
      const flipped = Buffer.from(original)
      flipped[at] = flipped[at]! ^ 0x01
      writeFileSync(file, flipped)
      const r = await importOnce('cached', { table: null })
      expect(r.report.source, what).toBe('data')
      expect(r.report.fallback, what).toMatch(new RegExp(`^corrupt column cache: ${file}: `))
      expect(closes(r), what).toEqual(expected)
      writeFileSync(file, original)
      // The re-import rewrote the same file: the next cached run reads it again from disk.
      expect((await importOnce('cached', { table: null })).report.note, what).toContain('(disk)')
    }
  })

  it('is the same over the ranges written and the ranges read, in any order, and changes with any byte', async () => {
    const { importCsv, readParquet, writeParquet } = await import('@ttapi/columnar-io')
    const { ColumnFileChecksum } = await import('../src/_column-checksum.ts')
    const { table } = await importCsv(data)
    const file = join(dir, 'table.parquet')
    const written = new ColumnFileChecksum()
    await writeParquet(table, file, { compression: 'snappy', rowGroupRows: 1000, onBytes: written.add })
    const read = new ColumnFileChecksum()
    await readParquet(file, { onBytes: read.add })
    expect(written.digest()).toMatch(/^[0-9a-f]{32}$/)
    expect(read.digest()).toBe(written.digest())
    // The same ranges in reverse order.
    const bytes = readFileSync(file)
    const reversed = new ColumnFileChecksum()
    for (const r of (await rangesOf(file)).reverse())
      reversed.add(r.offset, bytes.subarray(r.offset, r.offset + r.length))
    expect(reversed.digest()).toBe(written.digest())
    // Any range's byte changes the digest.
    for (const r of await rangesOf(file)) {
      const changed = new ColumnFileChecksum()
      for (const q of await rangesOf(file)) {
        const part = Buffer.from(bytes.subarray(q.offset, q.offset + q.length))
        if (q === r || q.offset === r.offset) part[part.length >> 1] = part[part.length >> 1]! ^ 0x80
        changed.add(q.offset, part)
      }
      expect(changed.digest()).not.toBe(written.digest())
    }
  })
})
