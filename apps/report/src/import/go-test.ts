import { fail, readText } from './_fields.ts'
import type { ReadContext } from './_fields.ts'
import type { ParsedCase, ParsedFile } from './parsed-file.ts'

/** `BenchmarkName-8   	  331849	       344.0 ns/op ...`: name, GOMAXPROCS suffix, iterations, ns/op. */
const RESULT = /^(Benchmark\S*?)(?:-(\d+))?\s+(\d+)\s+(\S+) ns\/op(?:\s|$)/

/**
 * `go test -bench` text output: each result line is one sample (ns/op averaged over its b.N
 * iterations), so `-count N` gives N samples per benchmark in the order they ran; `pkg:` lines set
 * the suite. A `Benchmark…` line with a tab but no `ns/op` figure is refused with its line number.
 * @example readGoTest({ file: 'bench.txt', format: 'go' })
 */
export function readGoTest(ctx: ReadContext): ParsedFile {
  const lines = readText(ctx).split(/\r?\n/)
  const byKey = new Map<string, ParsedCase>()
  let pkg: string | null = null
  let goos: string | null = null
  for (const [i, line] of lines.entries()) {
    if (line.startsWith('pkg: ')) pkg = line.slice(5).trim()
    else if (line.startsWith('goos: ')) goos = line.slice(6).trim()
    if (!line.startsWith('Benchmark')) continue
    // `go test -v` prints the bare name before the result line: nothing to read there.
    if (!/\s/.test(line.trim())) continue
    const m = RESULT.exec(line)
    if (!m) fail(ctx, `line ${i + 1}`, `expected "BenchmarkName-P  N  T ns/op", got ${JSON.stringify(line.trim())}`)
    const nsPerOp = Number(m[4])
    if (!Number.isFinite(nsPerOp) || nsPerOp < 0)
      fail(ctx, `line ${i + 1} ns/op`, `expected a non-negative number, got ${JSON.stringify(m[4])}`)
    // `BenchmarkSum1000` is the function; the case is `Sum1000` (sub-benchmarks keep their `/a/b`).
    const name = m[1]!.slice('Benchmark'.length) || m[1]!
    const key = `${pkg ?? ''}\u0000${name}`
    let c = byKey.get(key)
    if (c === undefined) {
      c = { group: pkg, name, samplesMs: [], summary: null }
      byKey.set(key, c)
    }
    c.samplesMs!.push(nsPerOp / 1e6)
  }
  if (byKey.size === 0) fail(ctx, '(file)', 'no "BenchmarkName  N  T ns/op" result line')
  return { tool: goos === null ? 'go test -bench' : `go test -bench (${goos})`, cases: [...byKey.values()] }
}
