import { spawn } from 'node:child_process'
import { copyFile, open, readdir, readFile, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TtlCache } from '../src/index.ts'
import { keyFileName } from '../src/_disk-store.ts'
import { entryChunks } from '../src/_entry-file.ts'
import { tempDir, warningSink } from './_helpers.ts'

const CHILD = join(import.meta.dirname, '_child.ts')

async function withEntry(key = 'k', value: unknown = { a: 'value', n: [1, 2, 3] }) {
  const dir = await tempDir()
  const writer = new TtlCache({ dir })
  await writer.set(key, value, { ttl: 60_000 })
  const sink = warningSink()
  const reader = new TtlCache({ dir, onWarning: sink.onWarning })
  return { dir, file: join(dir, keyFileName(key)), reader, ...sink }
}

async function expectMiss(
  reader: TtlCache,
  warnings: { kind?: string; code: string; file?: string; message: string; reason?: string }[],
  kind: string,
  key = 'k',
) {
  expect(await reader.get(key)).toBeUndefined()
  expect(await reader.load(key)).toBeUndefined()
  expect(reader.stats().corruptEntries).toBe(2)
  // Both reads are counted; the damaged file is reported once, as `cache: <file>: <reason>; treated as a miss`.
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toMatchObject({ code: 'TTAPI_CACHE_CORRUPT', kind })
  expect(warnings[0]!.file).toContain(keyFileName(key))
  expect(warnings[0]!.message).toBe(`cache: ${warnings[0]!.file}: ${warnings[0]!.reason}; treated as a miss`)
  // Writing over the bad file heals it.
  await reader.set(key, 'healed')
  expect(await new TtlCache({ dir: reader.dir }).get(key)).toBe('healed')
}

describe('corrupt entry files are misses with a counted warning', () => {
  it('by default become a process warning with the code', async () => {
    const dir = await tempDir()
    await new TtlCache({ dir }).set('k', 1)
    await writeFile(join(dir, keyFileName('k')), 'garbage')
    const seen: Error[] = []
    const listener = (w: Error) => seen.push(w)
    process.on('warning', listener)
    try {
      expect(await new TtlCache({ dir }).get('k')).toBeUndefined()
      await new Promise((r) => setImmediate(r))
    } finally {
      process.off('warning', listener)
    }
    expect(seen.map((w) => (w as Error & { code?: string }).code)).toEqual(['TTAPI_CACHE_CORRUPT'])
    expect(seen[0]!.message).toMatch(/: not a ttapi cache file \(no TTCACHE magic\); treated as a miss$/)
  })

  it('truncated inside the payload', async () => {
    const { file, reader, warnings } = await withEntry()
    const { size } = await open(file).then(async (h) => {
      const s = await h.stat()
      await h.close()
      return s
    })
    await truncate(file, size - 3)
    await expectMiss(reader, warnings, 'truncated')
  })

  it('truncated inside the header, and empty', async () => {
    const { file, reader, warnings } = await withEntry()
    await truncate(file, 20)
    expect(await reader.get('k')).toBeUndefined()
    await truncate(file, 0)
    expect(await reader.get('k')).toBeUndefined()
    expect(warnings.map((w) => w.kind)).toEqual(['truncated', 'truncated'])
  })

  it('a flipped payload byte fails the checksum', async () => {
    const { file, reader, warnings } = await withEntry()
    const bytes = await readFile(file)
    bytes[bytes.length - 2]! ^= 0x01
    await writeFile(file, bytes)
    await expectMiss(reader, warnings, 'checksum')
    expect(warnings[0]!.reason).toMatch(/^checksum mismatch \(stored [0-9a-f]{16}, computed [0-9a-f]{16}\)$/)
  })

  it('a damaged file is reported once however often it is read, and again once damaged anew', async () => {
    const { file, reader, warnings } = await withEntry()
    const bytes = await readFile(file)
    bytes[bytes.length - 2]! ^= 0x01
    await writeFile(file, bytes)
    for (let i = 0; i < 4; i++) expect(await reader.load('k')).toBeUndefined()
    expect(reader.stats().corruptEntries).toBe(4)
    expect(warnings.map((w) => w.kind)).toEqual(['checksum'])
    await truncate(file, 20)
    expect(await reader.get('k')).toBeUndefined()
    expect(warnings.map((w) => w.reason)).toEqual([
      expect.stringMatching(/^checksum mismatch/),
      'truncated: 20 bytes, shorter than the 48-byte header',
    ])
  })

  it('a flipped header byte (expiry) fails the checksum', async () => {
    const { file, reader, warnings } = await withEntry()
    const bytes = await readFile(file)
    bytes[30]! ^= 0x40
    await writeFile(file, bytes)
    await expectMiss(reader, warnings, 'checksum')
  })

  it('a foreign file under the entry name', async () => {
    const { file, reader, warnings } = await withEntry()
    await writeFile(file, '{"not":"a cache entry"}\n')
    await expectMiss(reader, warnings, 'foreign')
  })

  it('a future format version', async () => {
    const { file, reader, warnings } = await withEntry()
    const bytes = await readFile(file)
    bytes.writeUInt16LE(2, 8)
    await writeFile(file, bytes)
    await expectMiss(reader, warnings, 'future-version')
  })

  it('a valid entry holding another key (moved file or hash collision)', async () => {
    const { dir, reader, warnings } = await withEntry('a')
    await copyFile(join(dir, keyFileName('a')), join(dir, keyFileName('b')))
    await expectMiss(reader, warnings, 'key-mismatch', 'b')
    expect(await reader.get('a')).toEqual({ a: 'value', n: [1, 2, 3] })
  })

  it('a checksummed payload that does not decode', async () => {
    const { file, reader, warnings } = await withEntry()
    const junk = Uint8Array.from([0xc1, 0xc1, 0xc1])
    await writeFile(file, Buffer.concat(entryChunks('k', 1, Date.now(), Date.now() + 60_000, [junk], junk.length)))
    await expectMiss(reader, warnings, 'decode')
  })
})

function run(args: string[]): { child: ReturnType<typeof spawn>; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)))
  // 'close' comes after stdout is drained, so `lines` holds every announcement the child made.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, lines, exited }
}

function expectIntact(value: unknown, size: number): number {
  const { gen, data } = value as { gen: number; data: Float64Array }
  expect(data).toBeInstanceOf(Float64Array)
  expect(data.length).toBe(size)
  // Every element carries the generation: a mix of two writes would show two values.
  let mixed = 0
  for (let i = 0; i < data.length; i++) if (data[i] !== gen) mixed++
  expect(mixed).toBe(0)
  return gen
}

describe('crash and concurrency safety', () => {
  it('SIGKILL in the middle of writing leaves the old or the new value intact, never a mix', async () => {
    const dir = await tempDir()
    const size = 1 << 20 // 8 MiB per value: a write takes long enough to be killed inside it
    await new TtlCache({ dir }).set('big', { gen: 0, data: new Float64Array(size) }, { ttl: Infinity })
    const seen = new Set<number>()
    for (let round = 0; round < 4; round++) {
      const { child, lines, exited } = run(['loop-writer', dir, 'big', String(size)])
      // Wait until it is inside a write (after the first one or two), then kill at a varying point.
      while (lines.length < 2 + (round % 2)) await new Promise((r) => setTimeout(r, 2))
      await new Promise((r) => setTimeout(r, 3 + round * 7))
      child.kill('SIGKILL')
      await exited
      const sink = warningSink()
      const reader = new TtlCache({ dir, onWarning: sink.onWarning })
      const value = await reader.get('big')
      expect(value).toBeDefined()
      const gen = expectIntact(value, size)
      const announced = Number(lines.at(-1)!.split(' ')[1])
      // Killed inside write `announced`: the previous value survives, or the new one if its rename landed.
      expect([announced - 1, announced]).toContain(gen)
      expect(sink.warnings).toEqual([])
      seen.add(gen)
    }
    // Leftover temp files prove kills landed mid-write; they never count as entries.
    const names = await readdir(dir)
    expect(names.filter((n) => n.endsWith('.ttc'))).toEqual([keyFileName('big')])
    expect(names.filter((n) => n.endsWith('.tmp')).length).toBeGreaterThan(0)
  })

  it('two processes racing on one key leave one complete value; readers never see a torn one', async () => {
    const dir = await tempDir()
    const size = 1 << 17 // 1 MiB
    const a = run(['race-writer', dir, 'race', '1', '15', String(size)])
    const b = run(['race-writer', dir, 'race', '2', '15', String(size)])
    const sink = warningSink()
    let reads = 0
    let done = false
    void Promise.all([a.exited, b.exited]).then(() => (done = true))
    while (!done) {
      const reader = new TtlCache({ dir, onWarning: sink.onWarning, maxMemoryEntries: 0 })
      const value = await reader.get('race')
      if (value !== undefined) {
        expectIntact(value, size)
        reads++
      }
      await new Promise((r) => setTimeout(r, 5))
    }
    expect([await a.exited, await b.exited]).toEqual([0, 0])
    expect(sink.warnings).toEqual([])
    const final = await new TtlCache({ dir }).get('race')
    const gen = expectIntact(final, size)
    expect([1014, 2014]).toContain(gen)
    expect(reads).toBeGreaterThan(0)
  })
})
