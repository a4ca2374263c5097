import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeCpuProfile, topSelfTime } from '../src/cpu-profile.ts'
import { collectCpuProfiles } from '../src/cpu-profile.ts'
import { benchFile, makeWorkspace, runCli } from './_workspace.ts'

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

describe('--cpu-prof locations', () => {
  it("point at the TypeScript file and line, not tsx's transformed line 1", async () => {
    // The hot function is declared on line 5 of the bench file (line 1 the import, 2-4 the prelude's
    // blank lines and type): where V8 starts the function, mapped back through tsx's inline source map.
    const prelude = `\ntype N = number\n\nfunction hot(n: N): N {\n  let x = 0\n  for (let i = 0; i < n; i++) x += Math.sqrt(i) * Math.sin(i)\n  return x\n}`
    const src = benchFile('sm', `[{ name: 'hot', unit: 'ops', itemsPerOp: 1, fn: () => hot(200_000) }]`, prelude)
    expect(src.split('\n')[4]).toBe('function hot(n: N): N {')
    const ws = makeWorkspace({ 'sm.bench.ts': src })
    try {
      const r = await runCli(['run', '--cpu-prof', '--label', 'sm'], ws.pkgDir, { BENCH_MEASURE_MS: '600' })
      expect(r.code, r.stderr).toBe(0)
      const dir = path.join(ws.root, 'benchmarks', 'profiles')
      const file = readdirSync(dir).find((f) => /^sm_hot_[^.]+\.cpuprofile$/.test(f))!
      const top = topSelfTime(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), 5)
      const hot = top.find((f) => f.name === 'hot')
      expect(hot, JSON.stringify(top)).toBeDefined()
      expect(hot!.location).toMatch(
        new RegExp(`^${path.join(ws.pkgDir, 'bench', 'sm.bench.ts').replaceAll('.', '\\.')}:5:\\d+$`),
      )
      // the printed top functions carry the same location
      expect(r.stdout).toMatch(/ hot {2}\S*sm\.bench\.ts:5:\d+\n/)
      // the harness's own code is mapped too: no frame of a .ts file is left on tsx's line 1 beyond column 200
      const nodes = (
        JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
          nodes: { callFrame: { url: string; lineNumber: number; columnNumber: number } }[]
        }
      ).nodes
      const unmapped = nodes.filter(
        (n) => n.callFrame.url.endsWith('.ts') && n.callFrame.lineNumber === 0 && n.callFrame.columnNumber > 200,
      )
      expect(unmapped.map((n) => n.callFrame.url)).toEqual([])
    } finally {
      rmSync(ws.root, { recursive: true, force: true })
    }
  })
})
