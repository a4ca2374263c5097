// Child-process entry of the quote server: `startQuoteServerProcess` forks it; it can also be run by hand:
//   pnpm exec tsx src/_quote-server-entry.ts '{"latencyMs":20,"port":8080}'
// argv[2] is the JSON of QuoteServerOptions. Prints one JSON line {"url","port"} on stdout once listening (and sends
// it over IPC when forked); answers {type:'stats', id} IPC messages; exits on SIGTERM, SIGINT or parent disconnect.
import { startQuoteServer } from './quote-server.ts'
import type { QuoteServer, QuoteServerOptions } from './types.ts'

let server: QuoteServer
try {
  server = await startQuoteServer(JSON.parse(process.argv[2] ?? '{}') as QuoteServerOptions)
} catch (error) {
  process.stderr.write(`quote server: ${(error as Error).message}\n`)
  process.exit(2)
}
const ready = { type: 'listening', url: server.url, port: server.port }
process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`)
process.send?.(ready)
process.on('message', (m: { type?: string; id?: number }) => {
  if (m.type === 'stats') process.send?.({ type: 'stats', id: m.id, stats: server.stats() })
})
let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  void server.close().then(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('disconnect', stop)
