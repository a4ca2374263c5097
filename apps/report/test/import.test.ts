// `report import`: every format's real output (test/fixtures/import, see its README for how each was
// made) imported, reported and gated; a malformed file of each refused in one line, nothing appended.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs'
import { join } from 'node:path'
import type { BenchRecord } from '@ttapi/bench'
import { describe, expect, it } from 'vitest'
import { main } from '../src/cli.ts'
import { tempDir } from './_runs.ts'
import { slowedCopy } from './_slowed-copy.ts'

const FIXTURES = new URL('./fixtures/import/', import.meta.url).pathname

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (file: string): Json => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Json

function io(cwd: string): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), cwd, color: false } }
}

function records(history: string): BenchRecord[] {
  return readdirSync(history)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) =>
      readFileSync(join(history, f), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as BenchRecord),
    )
}

interface FormatCase {
  /** `--from` */
  from: string
  /** Fixture file or folder. */
  file: string
  /** `raw` or `summary`, as the fixture holds. */
  samples: 'raw' | 'summary'
  /** `suite/case` of each record, in file order. */
  names: string[]
  /** The first benchmark's mean in ms as the TOOL computed it (or, where it gives none, its first sample). */
  reference: () => { meanMs?: number; firstSampleMs?: number }
  /** Verdicts of the 1.3× slowed copy against the original, by the report's rules on these fixed samples. */
  slowed: string[]
  /** Breaks the fixture: [file text to write, field named in the error]. */
  malformed: () => [string, string]
}

const mutate = (file: string, f: (j: Json) => void): string => {
  const j = json(file)
  f(j)
  return JSON.stringify(j)
}

const FORMATS: FormatCase[] = [
  {
    from: 'vitest',
    file: 'vitest-bench.json',
    samples: 'summary',
    names: ['sum_bench_ts_squares/n_1000', 'sum_bench_ts_squares/n_10000'],
    reference: () => ({ meanMs: json('vitest-bench.json').files[0].groups[0].benchmarks[0].mean }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      mutate('vitest-bench.json', (j) => (j.files[0].groups[0].benchmarks[1].mean = 'fast')),
      'files[0].groups[0].benchmarks[1].mean',
    ],
  },
  {
    from: 'tinybench',
    file: 'tinybench.json',
    samples: 'raw',
    names: ['tinybench/squares_1000', 'tinybench/squares_10000'],
    reference: () => ({ meanMs: json('tinybench.json')[0].result.mean }),
    slowed: ['inconclusive', 'regressed'],
    malformed: () => [mutate('tinybench.json', (j) => (j[1].result.samples[3] = 'x')), '[1].result.samples[3]'],
  },
  {
    from: 'mitata',
    file: 'mitata-samples.json',
    samples: 'raw',
    names: ['mitata/squares_1000', 'mitata/squares_10000'],
    reference: () => ({ firstSampleMs: json('mitata-samples.json').benchmarks[0].runs[0].stats.samples[0] / 1e6 }),
    slowed: ['inconclusive', 'regressed'],
    malformed: () => [
      mutate('mitata-samples.json', (j) => delete j.benchmarks[0].runs[0].stats),
      'benchmarks[0].runs[0].stats',
    ],
  },
  {
    from: 'mitata',
    file: 'mitata-summary.json',
    samples: 'summary',
    names: ['mitata/squares_1000', 'mitata/squares_10000'],
    reference: () => ({ meanMs: json('mitata-summary.json').benchmarks[0].runs[0].stats.avg / 1e6 }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      mutate('mitata-summary.json', (j) => (j.benchmarks[1].runs[0].stats.avg = -1)),
      'benchmarks[1].runs[0].stats.avg',
    ],
  },
  {
    from: 'benny',
    file: 'benny.json',
    samples: 'raw',
    names: ['squares/n_1000', 'squares/n_10000'],
    reference: () => ({ meanMs: json('benny.json').results[0].details.mean * 1000 }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      mutate('benny.json', (j) => (j.results[0].details.sampleResults[0] = -1)),
      'results[0].details.sampleResults[0]',
    ],
  },
  {
    from: 'benny',
    file: 'benny-summary.json',
    samples: 'summary',
    names: ['squares/n_1000', 'squares/n_10000'],
    reference: () => ({ meanMs: 1000 / json('benny-summary.json').results[0].ops }),
    slowed: ['regressed', 'regressed'],
    malformed: () => [mutate('benny-summary.json', (j) => (j.results[1].ops = 0)), 'results[1].ops'],
  },
  {
    from: 'benchmarkjs',
    file: 'benchmarkjs.json',
    samples: 'raw',
    names: ['benchmarkjs/n_1000', 'benchmarkjs/n_10000'],
    reference: () => ({ meanMs: json('benchmarkjs.json')[0].stats.mean * 1000 }),
    slowed: ['regressed', 'regressed'],
    malformed: () => [mutate('benchmarkjs.json', (j) => delete j[1].stats), '[1].stats'],
  },
  {
    from: 'hyperfine',
    file: 'hyperfine.json',
    samples: 'raw',
    names: ['hyperfine/sleep_0_01', 'hyperfine/sleep_0_02'],
    reference: () => ({ meanMs: json('hyperfine.json').results[0].mean * 1000 }),
    slowed: ['inconclusive', 'regressed'],
    malformed: () => [mutate('hyperfine.json', (j) => (j.results[1].times = 'x')), 'results[1].times'],
  },
  {
    from: 'google-benchmark',
    file: 'gbench-repetitions.json',
    samples: 'raw',
    names: ['google_benchmark/bm_accumulate_1000', 'google_benchmark/bm_accumulate_10000'],
    reference: () => ({
      meanMs: json('gbench-repetitions.json').benchmarks.find((b: Json) => b.aggregate_name === 'mean').real_time / 1e6,
    }),
    slowed: ['regressed', 'regressed'],
    malformed: () => [
      mutate('gbench-repetitions.json', (j) => (j.benchmarks[2].time_unit = 'fortnights')),
      'benchmarks[2].time_unit',
    ],
  },
  {
    from: 'gbench',
    file: 'gbench-single.json',
    samples: 'summary',
    names: ['google_benchmark/bm_accumulate_1000', 'google_benchmark/bm_accumulate_10000'],
    reference: () => ({ meanMs: json('gbench-single.json').benchmarks[0].real_time / 1e6 }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      mutate('gbench-single.json', (j) => delete j.benchmarks[1].iterations),
      'benchmarks[1].iterations',
    ],
  },
  {
    from: 'pytest-benchmark',
    file: 'pytest-benchmark.json',
    samples: 'raw',
    names: ['pytest_benchmark/test_squares_1000', 'pytest_benchmark/test_squares_5000'],
    reference: () => ({ meanMs: json('pytest-benchmark.json').benchmarks[0].stats.mean * 1000 }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      mutate('pytest-benchmark.json', (j) => (j.benchmarks[0].stats.data[7] = null)),
      'benchmarks[0].stats.data[7]',
    ],
  },
  {
    from: 'go',
    file: 'go-bench.txt',
    samples: 'raw',
    names: ['example_com_sumbench/sum1000', 'example_com_sumbench/sum10000'],
    // The first result line: `BenchmarkSum1000-2  331849  344.0 ns/op`.
    reference: () => ({ firstSampleMs: 344.0 / 1e6 }),
    slowed: ['inconclusive', 'inconclusive'],
    malformed: () => [
      readFileSync(join(FIXTURES, 'go-bench.txt'), 'utf8').replace('2788 ns/op', '2788 ms/op'),
      'line 11',
    ],
  },
  {
    from: 'criterion',
    file: 'criterion',
    samples: 'raw',
    names: ['fibonacci/iterative'],
    reference: () => ({ meanMs: json('criterion/Fibonacci/iterative/new/estimates.json').mean.point_estimate / 1e6 }),
    slowed: ['regressed'],
    malformed: () => ['', 'sample.json times'],
  },
]

/** Writes the malformed variant where the import will read it; criterion's is a folder with a short `times`. */
function writeMalformed(f: FormatCase, dir: string): string {
  const [text] = f.malformed()
  if (f.from !== 'criterion') {
    const file = join(dir, `bad-${f.file}`)
    writeFileSync(file, text)
    return file
  }
  const root = join(dir, 'bad-criterion')
  cpSync(join(FIXTURES, 'criterion'), root, { recursive: true })
  const sample = join(root, 'Fibonacci', 'iterative', 'new', 'sample.json')
  const s = JSON.parse(readFileSync(sample, 'utf8')) as { times: number[] }
  s.times.pop()
  writeFileSync(sample, JSON.stringify(s))
  return root
}

describe.each(FORMATS)('report import --from $from $file', (f) => {
  it('imports the real output as valid records, keeping the samples or marking the summary', async () => {
    const dir = tempDir()
    const history = join(dir, 'benchmarks')
    const t = io(dir)
    const code = await main(
      [
        'import',
        '--from',
        f.from,
        join(FIXTURES, f.file),
        '--history',
        history,
        '--label',
        'main',
        '--machine',
        'ci-box',
      ],
      t.io,
    )
    expect(t.err.join(''), 'no error').toBe('')
    expect(code).toBe(0)
    expect(readdirSync(history).filter((x) => x.endsWith('.ndjson'))).toEqual([
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}_main\.ndjson$/),
    ])
    const rs = records(history)
    expect(rs.map((r) => `${r.suite}/${r.case}`)).toEqual(f.names)
    for (const r of rs) {
      expect(r.imported?.samples).toBe(f.samples)
      expect(r.machine).toEqual({ id: 'ci-box', name: 'ci-box', source: 'env' })
      if (f.samples === 'summary') {
        expect(r.samples_ms).toHaveLength(1)
        expect(r.samples_ms[0]).toBe(r.imported!.summary!.mean_ms)
      } else expect(r.imported!.summary).toBeNull()
    }
    const ref = f.reference()
    if (ref.meanMs !== undefined) expect(rs[0]!.stats.mean_ms / ref.meanMs).toBeCloseTo(1, 9)
    if (ref.firstSampleMs !== undefined) expect(rs[0]!.samples_ms[0]! / ref.firstSampleMs).toBeCloseTo(1, 12)
    // The history reader takes them like the harness's own lines.
    const list = io(dir)
    expect(await main(['list', '--history', history, '--strict'], list.io)).toBe(0)
    expect(list.out.join('')).toMatch(/1 run\(s\), \d+ record\(s\) in 1 file\(s\).*0 bad line/)
  })

  it('is reported and gated: the same file twice passes, a 1.3x slowed copy is judged by the verdict rules', async () => {
    const dir = tempDir()
    const history = join(dir, 'benchmarks')
    const canonical = f.from === 'benny' ? 'benchmarkjs' : f.from === 'gbench' ? 'google-benchmark' : f.from
    const slow = join(dir, `slow-${f.file}`)
    slowedCopy(canonical, join(FIXTURES, f.file), slow, 1.3)
    const imp = async (file: string, label: string): Promise<void> => {
      expect(await main(['import', '--from', f.from, file, '--history', history, '--label', label], io(dir).io)).toBe(0)
    }
    await imp(join(FIXTURES, f.file), 'main')
    await imp(join(FIXTURES, f.file), 'again')
    const same = io(dir)
    expect(
      await main(
        ['--history', history, '--current', 'again', '--baseline', 'main', '--format', 'json', '--fail-on-regression'],
        same.io,
      ),
    ).toBe(0)
    const a = JSON.parse(same.out.join('')) as Json
    for (const c of a.cases) {
      expect(c.p95.changePct).toBeCloseTo(0, 9)
      expect(['unchanged', 'inconclusive']).toContain(c.status)
    }
    await imp(slow, 'pr')
    const gate = io(dir)
    const code = await main(
      ['--history', history, '--current', 'pr', '--baseline', 'main', '--format', 'json', '--fail-on-regression'],
      gate.io,
    )
    const j = JSON.parse(gate.out.join('')) as Json
    // The reference: every time was multiplied by 1.3, so every ratio is +30%.
    for (const c of j.cases) expect(c.p95.changePct).toBeCloseTo(30, 6)
    expect((j.cases as Json[]).map((c) => c.status as string)).toEqual(f.slowed)
    expect(code).toBe(f.slowed.includes('regressed') ? 1 : 0)
    if (f.samples === 'summary') for (const c of j.cases) expect(c.reason).toMatch(/summary statistics/)
    // The terminal and markdown reports render the same comparison.
    const md = io(dir)
    expect(await main(['--history', history, '--current', 'pr', '--baseline', 'main', '--format', 'md'], md.io)).toBe(0)
    expect(md.out.join('')).toContain(j.cases[0].case)
  })

  it('refuses a malformed file in one line naming the file, the format and the field; nothing appended', async () => {
    const dir = tempDir()
    const history = join(dir, 'benchmarks')
    mkdirSync(history)
    expect(
      await main(
        ['import', '--from', f.from, join(FIXTURES, f.file), '--history', history, '--label', 'main'],
        io(dir).io,
      ),
    ).toBe(0)
    const file = readdirSync(history).find((x) => x.endsWith('.ndjson'))!
    const before = readFileSync(join(history, file), 'utf8')
    const bad = writeMalformed(f, dir)
    const t = io(dir)
    expect(await main(['import', '--from', f.from, bad, '--history', history, '--label', 'main'], t.io)).toBe(2)
    const err = t.err.join('')
    expect(err.trimEnd().split('\n')).toHaveLength(1)
    expect(err).toContain(bad)
    expect(err).toMatch(
      /\((vitest|tinybench|mitata|benchmarkjs|hyperfine|google-benchmark|pytest-benchmark|go|criterion)\)/,
    )
    expect(err).toContain(f.malformed()[1])
    expect(err).not.toMatch(/\n\s+at /)
    expect(readFileSync(join(history, file), 'utf8')).toBe(before)
    expect(readdirSync(history).filter((x) => x.endsWith('.ndjson'))).toEqual([file])
  })
})

describe('report import: usage', () => {
  it('refuses an unknown format, a missing --from or FILE, and a file that is not there (exit 2, one line)', async () => {
    const dir = tempDir()
    const history = join(dir, 'benchmarks')
    const cases: [string[], RegExp][] = [
      [['--from', 'jmh', 'x.json'], /expected --from to be one of vitest, .*got "jmh"/],
      [['x.json'], /--from FORMAT is required/],
      [['--from', 'go'], /expected one FILE after the options, got 0/],
      [['--from', 'go', join(dir, 'missing.txt')], /missing\.txt \(go\): \(file\): cannot read: ENOENT/],
      [
        ['--from', 'hyperfine', join(FIXTURES, 'go-bench.txt')],
        /go-bench\.txt \(hyperfine\): \(file\): not valid JSON/,
      ],
      [
        ['--from', 'go', join(FIXTURES, 'hyperfine.json')],
        /hyperfine\.json \(go\): \(file\): no "BenchmarkName {2}N {2}T ns\/op" result line/,
      ],
    ]
    for (const [args, message] of cases) {
      const t = io(dir)
      expect(await main(['import', ...args, '--history', history], t.io), args.join(' ')).toBe(2)
      expect(t.err.join('')).toMatch(message)
      expect(t.err.join('').trimEnd().split('\n')).toHaveLength(1)
    }
    expect(existsSync(history)).toBe(false)
    const help = io(dir)
    expect(await main(['import', '--help'], help.io)).toBe(0)
    expect(help.out.join('')).toMatch(/^Usage: report import --from FORMAT FILE/)
  })
})
