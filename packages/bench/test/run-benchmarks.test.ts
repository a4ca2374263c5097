import { rmSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { validateRecord } from '../src/record-schema.ts'
import { addPackage, benchFile, makeWorkspace, readRecords, runCli } from './_workspace.ts'

const roots: string[] = []
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})

describe('runs through the CLI (temp workspace)', () => {
  it('3 runners started at once never measure at the same time (windows do not overlap), fingerprints agree', async () => {
    const spin = `() => { const e = performance.now() + 1; while (performance.now() < e) {} }`
    const ws = makeWorkspace(
      {
        'one.bench.ts': benchFile(
          'one',
          `[{ name: 'a', unit: 'ops', itemsPerOp: 1, fn: ${spin} }, { name: 'b', unit: 'ops', itemsPerOp: 1, fn: ${spin} }]`,
        ),
      },
      'p1',
    )
    roots.push(ws.root)
    const p2 = addPackage(ws.root, 'p2', {
      'two.bench.ts': benchFile(
        'two',
        `[{ name: 'a', unit: 'ops', itemsPerOp: 1, fn: ${spin} }, { name: 'b', unit: 'ops', itemsPerOp: 1, fn: ${spin} }]`,
      ),
    })
    const p3 = addPackage(ws.root, 'p3', {
      'three.bench.ts': benchFile(
        'three',
        `[{ name: 'a', unit: 'ops', itemsPerOp: 1, fn: ${spin} }, { name: 'b', unit: 'ops', itemsPerOp: 1, fn: ${spin} }]`,
      ),
    })
    // A lock left behind by a dead runner must not block them.
    mkdirSync(path.join(ws.root, 'benchmarks'), { recursive: true })
    writeFileSync(path.join(ws.root, 'benchmarks', '.lock'), '999999999\nhost\n')
    const env = { BENCH_MEASURE_MS: '80', BENCH_PROCESSES: '2' }
    const results = await Promise.all([ws.pkgDir, p2, p3].map((cwd) => runCli(['run', '--label', 'par'], cwd, env)))
    for (const r of results) expect(r.code, r.stderr + r.stdout).toBe(0)
    const recs = readRecords(ws.root)[0]!.records
    expect(recs).toHaveLength(6)
    for (const r of recs) expect(validateRecord(r)).toEqual({ ok: true })
    // Every process of every case (two a case, interleaved across the runners' cases).
    const windows = recs
      .flatMap((r) => r['processes'] as { window: { started_at: string; finished_at: string } }[])
      .map((p) => [Date.parse(p.window.started_at), Date.parse(p.window.finished_at)] as const)
      .sort((a, b) => a[0] - b[0])
    expect(windows).toHaveLength(12)
    for (let i = 1; i < windows.length; i++) expect(windows[i]![0]).toBeGreaterThanOrEqual(windows[i - 1]![1])
    // Three separate runs on one machine, same settings: one fingerprint.
    expect(new Set(recs.map((r) => r['fingerprint'])).size).toBe(1)
    expect(new Set(recs.map((r) => r['run'].id)).size).toBe(3)
  })

  it('gives each case a fresh process (memory not inherited), honours BENCH_INJECT and the full profile', async () => {
    const ws = makeWorkspace({
      'iso.bench.ts': benchFile(
        'iso',
        `[
          { name: 'big', unit: 'bytes', itemsPerOp: 1, bytesPerOp: 256 * 2 ** 20, setup: () => Buffer.alloc(256 * 2 ** 20, 1), fn: (b) => b[12345] },
          { name: 'small', unit: 'ops', itemsPerOp: 1, fn: () => 1 },
          { name: 'slowed', unit: 'ops', itemsPerOp: 1, minSamples: 3, fn: () => { const e = performance.now() + 2; while (performance.now() < e) {} } },
          { name: 'quick_only', unit: 'ops', itemsPerOp: 1, profiles: ['quick'], fn: () => 1 },
        ]`,
      ),
    })
    roots.push(ws.root)
    const r = await runCli(['run', '--label', 'iso', '--profile', 'full'], ws.pkgDir, {
      BENCH_INJECT: 'iso/slowed:3',
      BENCH_MEASURE_MS: '60',
    })
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(r.stdout).toContain('BENCH_INJECT=iso/slowed:3')
    // A case of the quick profile only is left out of the full run, and said so.
    expect(r.stdout).toContain(
      'bench: 1 case(s) left out, not run in the full profile (e.g. iso/quick_only: quick only)',
    )
    expect(readRecords(ws.root)[0]!.records.map((x) => x['case'])).toEqual(['big', 'small', 'slowed'])
    const [big, small, slowed] = readRecords(ws.root)[0]!.records
    expect(big!['memory'].rss_peak_bytes).toBeGreaterThan(256 * 2 ** 20)
    // The 256 MiB buffer of `big` died with its process.
    expect(small!['memory'].rss_peak_bytes).toBeLessThan(big!['memory'].rss_peak_bytes! - 200 * 2 ** 20)
    // 2 ms of work slowed 3x: no sample can be under 6 ms.
    expect(slowed!['stats'].min_ms).toBeGreaterThanOrEqual(6)
    // BENCH_WARMUP_MS=5 and BENCH_MEASURE_MS=60 replace the full profile's 3 s / 10 s; min samples stay 100.
    expect(small!['config']).toEqual({
      engine: 'benny',
      warmup_ms: 5,
      measurement_ms: 60,
      min_samples: 100,
      profile: 'full',
    })
    expect(small!['stats'].n).toBeGreaterThanOrEqual(100)
    expect(slowed!['config'].min_samples).toBe(3)
    expect(slowed!['fingerprint']).not.toBe(small!['fingerprint'])
  })
})
