// The harness measures itself: `empty` is its per-op overhead, `cpu_fixed` its run-to-run spread,
// `alloc_1kb` / `alloc_400kb` check allocations per op against strings of a known size.
import { defineSuite } from '../src/define-suite.ts'
import type { SuiteDefinition } from '../src/types.ts'

let sink = 0
const kept: unknown[] = []

/** An op making one V8 string of `n` one-byte characters (n bytes plus a 16-byte header). */
function latin1String(n: number): () => unknown {
  const buf = Buffer.alloc(n, 97)
  return () => (kept[0] = buf.toString('latin1'))
}

const suite: SuiteDefinition = defineSuite({
  suite: 'harness',
  cases: [
    {
      name: 'empty',
      unit: 'ops',
      itemsPerOp: 1,
      fn: () => {},
    },
    {
      name: 'cpu_fixed',
      unit: 'ops',
      itemsPerOp: 1e6,
      // 1e6 integer additions whose result is consumed, so the loop cannot be optimised away.
      fn: () => {
        let acc = 0
        for (let i = 0; i < 1_000_000; i++) acc = (acc + i * 7) | 0
        sink ^= acc
        return sink
      },
    },
    // Reference 1,000 and 400,000 bytes per op (one byte per Latin-1 character); the second lives in the large-object space.
    { name: 'alloc_1kb', unit: 'bytes', itemsPerOp: 1000, bytesPerOp: 1000, fn: latin1String(1000) },
    { name: 'alloc_400kb', unit: 'bytes', itemsPerOp: 400_000, bytesPerOp: 400_000, fn: latin1String(400_000) },
  ],
})

export default suite
