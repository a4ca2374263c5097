// The harness measures itself: `empty` is its per-op overhead, `cpu_fixed` its run-to-run spread.
import { defineSuite } from '../src/index.ts'
import type { SuiteDefinition } from '../src/index.ts'

let sink = 0

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
  ],
})

export default suite
