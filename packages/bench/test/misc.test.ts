import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRunArgs } from '../src/_parse-args.ts'
import {
  BenchUsageError,
  caseConfig,
  childGlibcTunables,
  findWorkspaceRoot,
  formatBytes,
  formatMs,
  formatSI,
  makeRunId,
  parseProfile,
  resultFileName,
  sanitizeLabel,
  workspaceBenchFiles,
} from '../src/index.ts'

describe('labels and file names', () => {
  it('sanitises to [a-z0-9._-]', () => {
    expect(sanitizeLabel('feature/Fast CSV!')).toBe('feature-fast-csv')
    expect(sanitizeLabel('v1.2_rc-1')).toBe('v1.2_rc-1')
    expect(() => sanitizeLabel('///')).toThrow(BenchUsageError)
  })
  it('names the file by UTC date', () => {
    expect(resultFileName(new Date('2026-11-27T23:59:59-05:00'), 'main')).toBe('2026-11-28_main.ndjson')
  })
  it('makes unique sortable run ids', () => {
    const d = new Date('2026-11-27T00:15:00.123Z')
    expect(makeRunId(d)).toMatch(/^20261127T001500Z-[0-9a-f]{6}$/)
    expect(makeRunId(d)).not.toBe(makeRunId(d))
  })
})

describe('profiles', () => {
  it('quick and full settings, env overrides, per-case limits', () => {
    expect(caseConfig('quick', {}, {})).toEqual({
      engine: 'benny',
      warmup_ms: 300,
      measurement_ms: 1500,
      min_samples: 5,
      profile: 'quick',
    })
    expect(caseConfig('full', {}, {})).toEqual({
      engine: 'benny',
      warmup_ms: 3000,
      measurement_ms: 10_000,
      min_samples: 100,
      profile: 'full',
    })
    expect(caseConfig('full', {}, { maxTimeMs: 2000, minSamples: 3 })).toMatchObject({
      warmup_ms: 2000,
      measurement_ms: 2000,
      min_samples: 3,
    })
    expect(caseConfig('quick', { measurementMs: 30, warmupMs: 5 }, {})).toMatchObject({
      warmup_ms: 5,
      measurement_ms: 30,
    })
    expect(() => parseProfile('slow')).toThrow(/got `slow`/)
  })
  it('runs children with hugetlb malloc unless GLIBC_TUNABLES is set', () => {
    expect(childGlibcTunables({})).toBe('glibc.malloc.hugetlb=1')
    expect(childGlibcTunables({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })).toBe('glibc.malloc.arena_max=2')
  })
})

describe('parseRunArgs', () => {
  it('parses every flag, ignores literal --, reads BENCH_PROFILE', () => {
    expect(
      parseRunArgs(
        ['run', '--all', '--filter', 'a/b', '--', '--save-baseline', 'Main', '--cpu-prof', '--then=pnpm -s report'],
        {},
      ),
    ).toEqual({
      all: true,
      filter: 'a/b',
      profile: 'quick',
      label: 'main',
      cpuProf: true,
      then: 'pnpm -s report',
      help: false,
    })
    expect(parseRunArgs(['--', 'run'], { BENCH_PROFILE: 'full' }).profile).toBe('full')
    expect(parseRunArgs(['run', '--profile', 'quick'], { BENCH_PROFILE: 'full' }).profile).toBe('quick')
  })
  it('rejects mistakes as usage errors', () => {
    expect(() => parseRunArgs(['run', '--label', 'a', '--save-baseline', 'b'], {})).toThrow(/not both/)
    expect(() => parseRunArgs(['run', '--all=1'], {})).toThrow(/takes no value/)
    expect(() => parseRunArgs(['run', '--filter', '--all'], {})).toThrow(/needs a value/)
    expect(() => parseRunArgs([], {})).toThrow(BenchUsageError)
  })
})

describe('format', () => {
  it('SI, time and byte units', () => {
    expect(formatSI(1_234_567)).toBe('1.23M')
    expect(formatSI(438_000)).toBe('438k')
    expect(formatSI(12)).toBe('12')
    expect(formatMs(0.000012)).toBe('12.0 ns')
    expect(formatMs(1532)).toBe('1.53 s')
    expect(formatBytes(1536)).toBe('1.50 KiB')
    expect(formatBytes(null)).toBe('-')
  })
})

describe('discovery', () => {
  it('finds the workspace root and lists packages before apps, alphabetically', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-disc-'))
    writeFileSync(path.join(root, 'pnpm-workspace.yaml'), '')
    for (const p of [
      'apps/a/bench/z.bench.ts',
      'packages/b/bench/y.bench.ts',
      'packages/a/bench/x.bench.ts',
      'packages/a/bench/w.bench.ts',
      'packages/a/bench/notes.ts',
    ]) {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true })
      writeFileSync(path.join(root, p), '')
    }
    expect(findWorkspaceRoot(path.join(root, 'packages/a/bench'))).toBe(root)
    expect(workspaceBenchFiles(root).map((f) => path.relative(root, f))).toEqual([
      'packages/a/bench/w.bench.ts',
      'packages/a/bench/x.bench.ts',
      'packages/b/bench/y.bench.ts',
      'apps/a/bench/z.bench.ts',
    ])
    rmSync(root, { recursive: true })
  })
})
