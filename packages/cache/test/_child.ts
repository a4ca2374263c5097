// Child processes for the crash, race and exit tests: `node --import tsx test/_child.ts MODE ...`.
import { TtlCache } from '../src/index.ts'

const [mode, dir, key, ...rest] = process.argv.slice(2) as [string, string, string, ...string[]]

/** A large value whose every element is `gen`, so a mix of two values is detectable. */
function bigValue(gen: number, size: number, fill: Float64Array): { gen: number; data: Float64Array } {
  fill.fill(gen)
  return { gen, data: fill }
}

if (mode === 'loop-writer') {
  // Writes generation after generation until killed; announces each before it starts.
  const size = Number(rest[0])
  const cache = new TtlCache({ dir, maxMemoryEntries: 0, onWarning: () => undefined })
  const fill = new Float64Array(size)
  for (let gen = 1; ; gen++) {
    process.stdout.write(`writing ${gen}\n`)
    await cache.set(key, bigValue(gen, size, fill), { ttl: Infinity })
  }
} else if (mode === 'race-writer') {
  const [id, iterations, size] = rest.map(Number) as [number, number, number]
  const cache = new TtlCache({ dir, maxMemoryEntries: 0, onWarning: () => undefined })
  const fill = new Float64Array(size)
  for (let i = 0; i < iterations; i++) await cache.set(key, bigValue(id * 1000 + i, size, fill), { ttl: Infinity })
  process.stdout.write('done\n')
} else if (mode === 'exit-now') {
  // process.exit right after queuing: only the exit hook can land the write.
  const cache = new TtlCache({ dir })
  cache.persistInBackground(key, { written: 'at exit' }, 60_000)
  process.exit(0)
} else if (mode === 'exit-natural') {
  const cache = new TtlCache({ dir })
  cache.persistInBackground(key, { written: 'before the loop ran dry' }, 60_000)
} else {
  throw new Error(`unknown mode ${mode}`)
}
