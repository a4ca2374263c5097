import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { appendLine, appendRecord, BenchRecordError } from '../src/index.ts'

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
})
