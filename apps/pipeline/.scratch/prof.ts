import { runPipeline, Terminal } from '../src/index.ts'
import { startQuoteServerProcess } from '@ttapi/collector'
import { AnalysisPool } from '@ttapi/analysis'
const pool = new AnalysisPool({ workers: 2 })
const reuse = { table: null }
const silent = new Terminal({
  stdout: () => {},
  stderr: () => {},
  stderrIsTTY: false,
  color: false,
  ci: true,
  quiet: true,
})
const server = await startQuoteServerProcess({ seed: 1 })
const base = {
  universe: 'sp500',
  data: '/tmp/ttq/.ttapi/data/quick-metastock',
  source: server.url,
  home: '/tmp/ttprof',
}
await runPipeline({ ...base, mode: 'cold' }, silent)
for (const mode of ['cold', 'cached', 'cached', 'cached', 'cold', 'cached', 'cached'] as const) {
  const s = performance.now()
  const r = await runPipeline({ ...base, mode }, silent)
  const st = r.summary.stages.map((x) => `${x.stage}=${x.ms.toFixed(1)}`).join(' ')
  console.log(mode, 'wall', (performance.now() - s).toFixed(1), 'total', r.summary.totalMs.toFixed(1), st)
}
await server.stop()
await pool.close()
