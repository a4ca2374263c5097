import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { appendLine, appendRecord } from '../src/append-record.ts'
import { BenchRecordError } from '../src/errors.ts'

const dir = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-append-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const worker = fileURLToPath(new URL('./fixtures/append-worker.ts', import.meta.url))
const tsx = import.meta.resolve('tsx')

function run(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', tsx, worker, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
    c.on('error', reject)
    c.on('close', resolve)
  })
}

describe('appendLine / appendRecord', () => {
  it('8 processes appending at once never interleave, truncate or lose a line', async () => {
    const file = path.join(dir, 'concurrent.ndjson')
    const writers = 8
    const count = 40
    const startAt = Date.now() + 2500
    const codes = await Promise.all(
      Array.from({ length: writers }, (_, w) => run([file, String(w), String(count), String(startAt)])),
    )
    expect(codes).toEqual(Array(writers).fill(0))
    const text = readFileSync(file, 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    const lines = text.slice(0, -1).split('\n')
    expect(lines).toHaveLength(writers * count)
    const seen = new Set<string>()
    for (const l of lines) {
      const o = JSON.parse(l) as { worker: number; i: number; pad: string }
      expect(o.pad).toBe('x'.repeat(o.i % 10 === 0 ? 200_000 : (o.i * 37) % 5000))
      seen.add(`${o.worker}:${o.i}`)
    }
    expect(seen.size).toBe(writers * count)
    // The append lock is gone afterwards.
    expect(readdirSync(dir).filter((f) => f.startsWith('.lock'))).toEqual([])
  })

  it('refuses a line with a newline', () => {
    expect(() => appendLine(path.join(dir, 'x.ndjson'), 'a\nb')).toThrow(/newline/)
  })

  it('validates a record before appending: a bad record writes nothing', () => {
    const file = path.join(dir, 'records.ndjson')
    const real = JSON.parse(readFileSync(new URL('./fixtures/record.json', import.meta.url), 'utf8'))
    appendRecord(file, real)
    const bad = { ...real, stats: { ...real.stats, p50_ms: 'fast' } }
    expect(() => appendRecord(file, bad)).toThrow(BenchRecordError)
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toEqual(real)
  })

  it('after a writer is SIGKILLed mid-line, the next append starts a new line: every whole record parses', async () => {
    const file = path.join(dir, 'killed.ndjson')
    const real = JSON.parse(readFileSync(new URL('./fixtures/record.json', import.meta.url), 'utf8'))
    appendRecord(file, real)
    const torn = spawn(
      process.execPath,
      [
        '--import',
        tsx,
        fileURLToPath(new URL('./fixtures/torn-writer.ts', import.meta.url)),
        file,
        JSON.stringify(real),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve, reject) => {
      torn.on('error', reject)
      torn.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve()
      })
    })
    const closed = new Promise((resolve) => torn.on('close', (_code, signal) => resolve(signal)))
    torn.kill('SIGKILL')
    expect(await closed).toBe('SIGKILL')
    appendRecord(file, real)
    const lines = readFileSync(file, 'utf8').split('\n')
    // record, torn half, record, '' after the final newline
    expect(lines).toHaveLength(4)
    expect(JSON.parse(lines[0]!)).toEqual(real)
    expect(() => JSON.parse(lines[1]!) as unknown).toThrow()
    expect(lines[1]).toBe(JSON.stringify(real).slice(0, lines[1]!.length))
    expect(JSON.parse(lines[2]!)).toEqual(real)
    expect(lines[3]).toBe('')
  })

  it('a file truncated mid-line, or a whole last line without its newline (an editor), is not glued onto', () => {
    const file = path.join(dir, 'truncated.ndjson')
    const real = JSON.parse(readFileSync(new URL('./fixtures/record.json', import.meta.url), 'utf8'))
    const line = JSON.stringify(real)
    writeFileSync(file, `${line}\n${line}\n`)
    // Bytes, not characters: the machine name holds a multi-byte `×`.
    truncateSync(file, Buffer.byteLength(line) + 1 + 100)
    appendRecord(file, real)
    let lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.map((l) => Buffer.byteLength(l))).toEqual([Buffer.byteLength(line), 100, Buffer.byteLength(line), 0])
    expect(JSON.parse(lines[2]!)).toEqual(real)

    writeFileSync(file, line)
    appendLine(file, line)
    lines = readFileSync(file, 'utf8').split('\n')
    expect(lines).toEqual([line, line, ''])
  })
})
