import { runPipeline, Terminal, dataFingerprint } from '../src/index.ts'
import { startQuoteServerProcess } from '@ttapi/collector'
import type { ColumnTable } from '@ttapi/columnar-io'
const silent = new Terminal({
  stdout: () => {},
  stderr: () => {},
  stderrIsTTY: false,
  color: false,
  ci: true,
  quiet: true,
})
const server = await startQuoteServerProcess({ seed: 1 })
const reuse: { table: ColumnTable | null } = { table: null }
const base = {
  universe: 'sp500',
  data: '/tmp/ttq/.ttapi/data/quick-metastock',
  source: server.url,
  home: '/tmp/ttprof',
  reuse,
  workers: 1,
}
await runPipeline({ ...base, mode: 'cold' }, silent)
let prev = reuse.table!.close.buffer
for (let i = 0; i < 5; i++) {
  const r = await runPipeline({ ...base, mode: 'cached' }, silent)
  console.log('same buffer', reuse.table!.close.buffer === prev, r.summary.stages.map((x) => x.ms.toFixed(1)).join(' '))
  prev = reuse.table!.close.buffer
}
for (let i = 0; i < 3; i++) {
  const s = performance.now()
  await dataFingerprint(base.data)
  console.log('fp', (performance.now() - s).toFixed(1))
}
await server.stop()
