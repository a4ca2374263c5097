import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateRecord } from '../src/record-schema.ts'
import { benchFile, makeWorkspace, readRecords, runCli } from './_workspace.ts'

const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})

describe('ttapi-bench run (end to end, temp workspace)', () => {
  it('writes one valid record per case, keeps going past a throwing and a rejecting case, exits 1', async () => {
    const ws = makeWorkspace({
      'mixed.bench.ts': benchFile(
        'mixed',
        `[
          { name: 'ok_sync', unit: 'rows', itemsPerOp: 100, bytesPerOp: 800, fn: () => { let s = 0; for (let i = 0; i < 1000; i++) s += i; return s } },
          { name: 'throws', unit: 'ops', itemsPerOp: 1, fn: () => { throw new Error('sync kaboom') } },
          { name: 'rejects', unit: 'ops', itemsPerOp: 1, fn: async () => { calls++; if (calls > 3) throw new Error('async kaboom') } },
          { name: 'ok_async', unit: 'symbols', itemsPerOp: (s) => s.n, setup: () => ({ n: 7 }), fn: async (s) => { await Promise.resolve(s.n) } },
        ]`,
        'let calls = 0',
      ),
    })
    roots.push(ws.root)
    const r = await runCli(['run', '--label', 'T1'], ws.pkgDir)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/mixed\/throws FAILED: Error: sync kaboom \(at \/.*mixed\.bench\.ts:\d+:\d+\)/)
    expect(r.stdout).toContain('async kaboom')
    const files = readRecords(ws.root)
    expect(files.map((f) => f.file)).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}_t1\.ndjson$/)])
    const recs = files[0]!.records
    expect(recs.map((x) => x['case'])).toEqual(['ok_sync', 'ok_async'])
    for (const rec of recs) expect(validateRecord(rec)).toEqual({ ok: true })
    const [sync, asy] = recs
    expect(sync!['package']).toBe('@t/tiny')
    expect(sync!['bytes_per_op']).toBe(800)
    expect(sync!['throughput'].items_per_s).toBeCloseTo(100 / (sync!['stats'].p50_ms / 1000), 6)
    expect(sync!['throughput'].bytes_per_s).toBeCloseTo(800 / (sync!['stats'].p50_ms / 1000), 6)
    expect(asy!['items_per_op']).toBe(7)
    expect(asy!['bytes_per_op']).toBeNull()
    expect(asy!['throughput'].bytes_per_s).toBeNull()
    expect(sync!['run'].id).toBe(asy!['run'].id)
    expect(sync!['run'].label).toBe('t1')
    expect(sync!['env'].glibc_tunables).toBe(process.env['GLIBC_TUNABLES'] ?? 'glibc.malloc.hugetlb=1')
    expect(sync!['memory'].rss_peak_bytes).toBeGreaterThan(0)
  })

  it('--all runs packages before apps, alphabetically; --then runs at the root with the run id; tolerates a literal --', async () => {
    const ws = makeWorkspace(
      { 'b.bench.ts': benchFile('zeta', `[{ name: 'z1', unit: 'ops', itemsPerOp: 1, fn: () => 1 }]`) },
      'bbb',
    )
    roots.push(ws.root)
    const { addPackage } = await import('./_workspace.ts')
    addPackage(
      ws.root,
      'aaa',
      { 'a.bench.ts': benchFile('alpha', `[{ name: 'a1', unit: 'ops', itemsPerOp: 1, fn: () => 1 }]`) },
      'apps',
    )
    addPackage(ws.root, 'ccc', {
      'c.bench.ts': benchFile('gamma', `[{ name: 'c1', unit: 'ops', itemsPerOp: 1, fn: () => 1 }]`),
    })
    const then = `node -e "process.stdout.write('THEN ' + process.env.TTAPI_BENCH_RUN_ID + ' ' + process.env.TTAPI_BENCH_LABEL + ' ' + process.cwd())"`
    const r = await runCli(['run', '--all', '--then', then, '--', '--save-baseline', 'Main'], ws.root)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const recs = readRecords(ws.root)[0]!.records
    expect(readRecords(ws.root)[0]!.file).toMatch(/_main\.ndjson$/)
    expect(recs.map((x) => `${x['package']}:${x['case']}`)).toEqual(['@t/bbb:z1', '@t/ccc:c1', '@t/aaa:a1'])
    expect(r.stdout).toContain(`THEN ${recs[0]!['run'].id} main ${ws.root}`)
  })

  it('a failing --then makes the exit non-zero and still names the failed cases; a hung case times out', async () => {
    const ws = makeWorkspace({
      'x.bench.ts': benchFile(
        'x',
        `[
          { name: 'bad', unit: 'ops', itemsPerOp: 1, fn: () => { throw new Error('nope') } },
          { name: 'hangs', unit: 'ops', itemsPerOp: 1, setup: () => setInterval(() => {}, 1000), fn: () => new Promise(() => {}) },
          { name: 'good', unit: 'ops', itemsPerOp: 1, fn: () => 1 },
        ]`,
      ),
    })
    roots.push(ws.root)
    const r = await runCli(['run', '--label', 'x', '--then', 'exit 3'], ws.pkgDir, { BENCH_CASE_TIMEOUT_MS: '4000' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--then command failed (exit 3)')
    expect(r.stderr).toContain('x/bad, x/hangs')
    expect(r.stdout).toMatch(/x\/hangs FAILED: bench: case timed out after 4000 ms/)
    expect(readRecords(ws.root)[0]!.records.map((x) => x['case'])).toEqual(['good'])
  })

  it('--filter selects cases by suite/case; an unloadable bench file fails the run without stopping the rest', async () => {
    const ws = makeWorkspace({
      'a.bench.ts': benchFile(
        'alpha',
        `[{ name: 'one', unit: 'ops', itemsPerOp: 1, fn: () => 1 }, { name: 'two', unit: 'ops', itemsPerOp: 1, fn: () => 2 }]`,
      ),
      'broken.bench.ts': benchFile('Bad-Name', `[{ name: 'x', unit: 'ops', itemsPerOp: 1, fn: () => 1 }]`),
    })
    roots.push(ws.root)
    const r = await runCli(['run', '--filter', 'alpha/tw', '--label', 'f'], ws.pkgDir)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/broken\.bench\.ts.*suite.*Bad-Name/)
    expect(readRecords(ws.root)[0]!.records.map((x) => x['case'])).toEqual(['two'])
  })

  it('--cpu-prof writes a .cpuprofile per case and prints its top functions with percentages', async () => {
    const ws = makeWorkspace({
      'p.bench.ts': benchFile(
        'prof',
        `[{ name: 'json', unit: 'ops', itemsPerOp: 1, setup: () => JSON.stringify({ a: Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x' + i })) }), fn: (s) => JSON.parse(s) }]`,
      ),
    })
    roots.push(ws.root)
    // 0.8 s of JSON.parse, so it outweighs the child's start-up in the profile even on a loaded machine (with 0.2 s,
    // a loaded run's top 10 was all module loading).
    const r = await runCli(['run', '--cpu-prof', '--label', 'p'], ws.pkgDir, { BENCH_MEASURE_MS: '800' })
    expect(r.code).toBe(0)
    const dir = path.join(ws.root, 'benchmarks', 'profiles')
    expect(existsSync(dir)).toBe(true)
    // The main thread's profile under the case's name; other threads' (tsx's loader hooks run on one) beside it; the
    // case's own profile directory is gone.
    const all = readdirSync(dir)
    const files = all.filter((f) => /^prof_json_[^.]+\.cpuprofile$/.test(f))
    expect(files).toHaveLength(1)
    expect(
      all.every((f) => f === files[0] || /^prof_json_[^.]+\.thread\d+\.cpuprofile$/.test(f)),
      all.join(' '),
    ).toBe(true)
    const profile = JSON.parse(readFileSync(path.join(dir, files[0]!), 'utf8')) as {
      nodes: { callFrame: { functionName: string } }[]
    }
    expect(profile.nodes.some((n) => n.callFrame.functionName === 'parse')).toBe(true)
    expect(r.stdout).toMatch(/top \d+ functions by self time/)
    expect(r.stdout).toMatch(/\d+\.\d%\s+\d+\.\d ms\s+\S+/)
    // The main thread's profile: the case's own op (`(s) => JSON.parse(s)`, which V8 charges the parse to) on top.
    const top = r.stdout.split('\n').find((l) => /^\s+\d+\.\d%/.test(l))
    expect(top).toMatch(/p\.bench\.ts:3:\d+$/) // line 3 of the TypeScript (source-mapped), not tsx's line 1
  })

  it('usage errors print one line and exit 2', async () => {
    const ws = makeWorkspace({
      'a.bench.ts': benchFile('a', `[{ name: 'one', unit: 'ops', itemsPerOp: 1, fn: () => 1 }]`),
    })
    roots.push(ws.root)
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['run', '--profile', 'slow'], {}, /profile `quick` or `full`, got `slow`/],
      [['run'], { BENCH_PROFILE: 'medium' }, /got `medium`/],
      [['run', '--label', '///'], {}, /label `\/\/\/` is empty/],
      [['run', '--frobnicate'], {}, /unknown option `--frobnicate`/],
      [['run', '--label'], {}, /`--label` needs a value/],
      [['walk'], {}, /unknown command `walk`/],
      [['run', '--filter', '('], {}, /regular expression/],
      [['run'], { BENCH_INJECT: 'x:fast' }, /BENCH_INJECT/],
    ]
    const results = await Promise.all(cases.map(([args, env]) => runCli(args, ws.pkgDir, env)))
    for (const [i, [args, , msg]] of cases.entries()) {
      const r = results[i]!
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(msg)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    expect(existsSync(path.join(ws.root, 'benchmarks'))).toBe(false)
  })

  it('runs cases without tsx’s CommonJS hook, which would disable V8’s ArrayBuffer-detaching protector', async () => {
    // With the hook, requiring a CommonJS package detaches an ArrayBuffer and every typed-array access in
    // the process checks for detachment from then on (kernels ~1.6x slower than in plain Node). The hook
    // is what registers `.ts` in require.extensions; a case that finds it fails.
    const ws = makeWorkspace({
      'ext.bench.ts': benchFile(
        'ext',
        `[{ name: 'no_cjs_hook', unit: 'ops', itemsPerOp: 1, setup: () => { const ext = Object.keys(createRequire(import.meta.url).extensions); if (ext.includes('.ts')) throw new Error('tsx CommonJS hook active: ' + ext.join(' ')) }, fn: () => 1 }]`,
        "import { createRequire } from 'node:module'",
      ),
    })
    roots.push(ws.root)
    const r = await runCli(['run', '--label', 'ext'], ws.pkgDir)
    expect(r.stdout).not.toContain('FAILED')
    expect(r.code).toBe(0)
    expect(readRecords(ws.root)[0]!.records.map((x) => x['case'])).toEqual(['no_cjs_hook'])
  })
})
