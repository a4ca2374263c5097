import { describe, expect, it } from 'vitest'
import { parseRunArgs } from '../src/_parse-args.ts'
import { BenchUsageError } from '../src/errors.ts'

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
