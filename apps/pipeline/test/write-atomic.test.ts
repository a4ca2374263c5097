// writeAtomic: the whole content or nothing, in place of the old file; no temp file left either way.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeAtomic } from '../src/_write-atomic.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttapi-atomic-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeAtomic', () => {
  it('writes a string, or buffers one after another (empty ones too), replacing the old file', () => {
    const file = join(dir, 'f.json')
    writeFileSync(file, 'old contents, longer than the new ones')
    writeAtomic(file, 'héllo')
    expect(readFileSync(file, 'utf8')).toBe('héllo')
    const big = Buffer.alloc(3 << 20, 7)
    writeAtomic(file, [Buffer.from('a'), Buffer.alloc(0), big, Buffer.from('é'), Buffer.alloc(0)])
    const back = readFileSync(file)
    expect(back.length).toBe(1 + big.length + 2)
    expect(back.subarray(0, 1).toString()).toBe('a')
    expect(back.subarray(1, 1 + big.length).equals(big)).toBe(true)
    expect(back.subarray(1 + big.length).toString()).toBe('é')
    writeAtomic(file, [])
    expect(readFileSync(file, 'utf8')).toBe('')
    expect(readdirSync(dir)).toEqual(['f.json'])
  })

  it('keeps the old file and removes its temp file when the rename fails', () => {
    // The target is a directory with a file in it: the temp file is written, the rename refused.
    const target = join(dir, 'busy')
    mkdirSync(target)
    writeFileSync(join(target, 'keep'), 'x')
    expect(() => writeAtomic(target, 'new')).toThrow(/busy/)
    expect(readdirSync(dir)).toEqual(['busy'])
    expect(readFileSync(join(target, 'keep'), 'utf8')).toBe('x')
  })

  it('leaves a directory in the temp file name alone and throws', () => {
    const file = join(dir, 'f.json')
    writeFileSync(file, 'old')
    mkdirSync(`${file}.${process.pid}.tmp`)
    expect(() => writeAtomic(file, [Buffer.from('new')])).toThrow(/EISDIR/)
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(readdirSync(dir).sort()).toEqual(['f.json', `f.json.${process.pid}.tmp`])
  })
})
