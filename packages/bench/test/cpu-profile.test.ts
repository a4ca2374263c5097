import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeCpuProfile, topSelfTime } from '../src/index.ts'
import { collectCpuProfiles } from '../src/cpu-profile.ts'

// A hand-made profile: node 2 `parse` (file:///a.js line 10), node 3 `work`, node 4 `(idle)`.
// Samples [2, 2, 3, 4, 2] with timeDeltas [0, 100, 300, 200, 400] (µs): sample i is charged
// timeDeltas[i + 1]: parse 100 + 300 + 0 (last) = 400, work 200, idle 400 (left out).
// Non-idle total 600 -> parse 66.67 %, work 33.33 %.
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 } },
    { id: 2, callFrame: { functionName: 'parse', url: 'file:///a.js', lineNumber: 9, columnNumber: 4 } },
    { id: 3, callFrame: { functionName: 'work', url: 'file:///b.js', lineNumber: 0, columnNumber: 0 } },
    { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1, columnNumber: -1 } },
  ],
  samples: [2, 2, 3, 4, 2],
  timeDeltas: [0, 100, 300, 200, 400],
}

describe('topSelfTime', () => {
  it('charges each sample the time to the next, leaves idle out, sorts by self time', () => {
    // samples 2,3,2,4,2 charged 100,300,200,400,0 -> parse 100 + 200 = 300, work 300, idle 400.
    const top = topSelfTime({ ...profile, samples: [2, 3, 2, 4, 2] })
    expect(top.map((f) => f.name).sort()).toEqual(['parse', 'work'])
    expect(top.map((f) => f.self_ms)).toEqual([0.3, 0.3])
    const t2 = topSelfTime({ ...profile, samples: [2, 2, 3, 4, 2] })
    // parse: 100 + 300 + 0 = 400 µs, work: 200 µs -> 66.67 % / 33.33 %
    expect(t2[0]).toEqual({ name: 'parse', location: '/a.js:10:5', self_ms: 0.4, pct: expect.closeTo(66.6667, 3) })
    expect(t2[1]).toMatchObject({ name: 'work', self_ms: 0.2, pct: expect.closeTo(33.3333, 3) })
    expect(topSelfTime(profile, 1)).toHaveLength(1)
  })
  it('rejects something that is not a profile', () => {
    expect(() => topSelfTime({ nodes: [] })).toThrow(/samples/)
  })
  it('renders percentages and locations', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-prof-'))
    const f = path.join(dir, 'x.cpuprofile')
    writeFileSync(f, JSON.stringify({ ...profile, samples: [2, 2, 3, 4, 2] }))
    const text = summarizeCpuProfile(f)
    expect(text).toContain(' 66.7%       0.4 ms  parse  /a.js:10:5')
    rmSync(dir, { recursive: true })
  })
})

describe('collectCpuProfiles', () => {
  it("keeps the main thread's profile under the case's name, other threads' beside it, and removes the case's directory", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ttapi-prof-'))
    try {
      const caseDir = path.join(root, '.case-x')
      mkdirSync(caseDir)
      writeFileSync(path.join(caseDir, 'CPU.20261127.054338.4242.0.001.cpuprofile'), 'main')
      writeFileSync(path.join(caseDir, 'CPU.20261127.054338.4242.1.002.cpuprofile'), 'loader')
      writeFileSync(path.join(caseDir, 'CPU.20261127.054339.4242.3.003.cpuprofile'), 'worker')
      writeFileSync(path.join(caseDir, 'notes.txt'), 'not a profile')
      const main = collectCpuProfiles(caseDir, root, 's_c_run.cpuprofile')
      expect(main).toBe(path.join(root, 's_c_run.cpuprofile'))
      expect(readFileSync(main!, 'utf8')).toBe('main')
      expect(readFileSync(path.join(root, 's_c_run.thread1.cpuprofile'), 'utf8')).toBe('loader')
      expect(readFileSync(path.join(root, 's_c_run.thread3.cpuprofile'), 'utf8')).toBe('worker')
      expect(existsSync(caseDir)).toBe(false)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('returns null when the main thread wrote no profile (a killed child), still cleaning up', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ttapi-prof-'))
    try {
      const caseDir = path.join(root, '.case-y')
      mkdirSync(caseDir)
      writeFileSync(path.join(caseDir, 'CPU.20261127.054338.4242.2.001.cpuprofile'), 'worker')
      expect(collectCpuProfiles(caseDir, root, 's_c_run.cpuprofile')).toBeNull()
      expect(readdirSync(root)).toEqual(['s_c_run.thread2.cpuprofile'])
      const empty = path.join(root, '.case-z')
      mkdirSync(empty)
      expect(collectCpuProfiles(empty, root, 's_d_run.cpuprofile')).toBeNull()
      expect(existsSync(empty)).toBe(false)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
