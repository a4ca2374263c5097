// Suite symbol_collection: collecting the sp500 universe from the embedded quote server running in a separate
// process (started in setup, stopped in teardown), so the client never shares its event loop with the server.
//
// Targets (issue 3), N = symbols per op, latency L = 20 ms:
//   sequential        reference only: ideal N x L
//   parallel_100      within 1.3x of ceil(N/100) x L
//   batch             100 symbols a request, one request at a time: within 1.5x of ceil(N/100) round trips
//   batch_parallel    the same requests all in flight: ideal one round trip
//   loopback_max      zero latency, symbols/s; peer loopback_max_fetch (Node's global fetch): ours >= 1.5x
//   faulty            5% 503 and 2% 429 with Retry-After 0.05: every symbol collected, retries reported on stderr
//
// The quick profile runs `sequential` on the first 50 sp500 symbols (unit: symbols, so symbols/s stay comparable
// with the full 503-symbol run): one full op takes ~10 s.
import { defineSuite } from '@ttapi/bench'
import type { CaseContext, SuiteDefinition } from '@ttapi/bench'
import {
  collectQuotes,
  HttpQuoteSource,
  nativeFormat,
  sp500Symbols,
  startQuoteServerProcess,
  type CollectQuotesResult,
  type QuoteServerOptions,
  type QuoteServerProcess,
} from '../src/index.ts'

const LATENCY_MS = 20

interface State {
  server: QuoteServerProcess
  source: HttpQuoteSource
  symbols: readonly string[]
  concurrency: number
  batchSize: number
  /** Retries summed over every op (faulty). */
  retries: number
  ops: number
}

function check(r: CollectQuotesResult, n: number): void {
  if (r.quotes.length !== n) {
    const f = r.failures[0]
    throw new Error(`symbol_collection: ${r.quotes.length}/${n} collected; first failure ${f?.symbol}: ${f?.reason}`)
  }
}

function collector(
  server: QuoteServerOptions,
  concurrency: number,
  batchSize = 1,
  quickSymbols?: number,
): (ctx: CaseContext) => Promise<State> {
  return async (ctx) => {
    const proc = await startQuoteServerProcess({ jitterMs: 0, seed: 1, ...server })
    const source = new HttpQuoteSource({ url: proc.url, concurrency, timeoutMs: 30_000 })
    const symbols =
      ctx.profile === 'quick' && quickSymbols !== undefined ? sp500Symbols.slice(0, quickSymbols) : sp500Symbols
    // One untimed op opens the pool's keep-alive connections, as a long-running collector would have them.
    check(await collectQuotes(symbols, { source, concurrency, batchSize }), symbols.length)
    return { server: proc, source, symbols, concurrency, batchSize, retries: 0, ops: 0 }
  }
}

async function run(s: State): Promise<void> {
  const r = await collectQuotes(s.symbols, { source: s.source, concurrency: s.concurrency, batchSize: s.batchSize })
  check(r, s.symbols.length)
  s.retries += r.stats.retries
  s.ops++
}

async function stop(s: State): Promise<void> {
  await s.source.close()
  await s.server.stop()
}

const items = (s: State): number => s.symbols.length

interface FetchState {
  server: QuoteServerProcess
  symbols: readonly string[]
}

/** The peer: Node's global fetch (undici inside Node) behind the same 100-worker pool, same validation. */
async function fetchAll(s: FetchState): Promise<void> {
  let next = 0
  let ok = 0
  const worker = async (): Promise<void> => {
    while (next < s.symbols.length) {
      const symbol = s.symbols[next++]!
      const res = await fetch(`${s.server.url}${nativeFormat.requestPath([symbol])}`)
      const quote = nativeFormat.parse(await res.text(), [symbol])[0]!
      if (res.ok && !('code' in quote)) ok++
    }
  }
  await Promise.all(Array.from({ length: 100 }, worker))
  if (ok !== s.symbols.length) throw new Error(`symbol_collection: fetch peer collected ${ok}/${s.symbols.length}`)
}

const suite: SuiteDefinition = defineSuite({
  suite: 'symbol_collection',
  cases: [
    {
      name: 'sequential',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: LATENCY_MS }, 1, 1, 50),
      fn: run,
      teardown: stop,
      minSamples: 3,
      maxTimeMs: 10_000,
    },
    {
      name: 'parallel_100',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: LATENCY_MS }, 100),
      fn: run,
      teardown: stop,
    },
    {
      name: 'batch',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: LATENCY_MS }, 1, 100),
      fn: run,
      teardown: stop,
    },
    {
      name: 'batch_parallel',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: LATENCY_MS }, 100, 100),
      fn: run,
      teardown: stop,
    },
    {
      name: 'loopback_max',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: 0 }, 100),
      fn: run,
      teardown: stop,
    },
    {
      name: 'loopback_max_fetch',
      unit: 'symbols',
      itemsPerOp: (s: FetchState): number => s.symbols.length,
      setup: async (): Promise<FetchState> => {
        const s = {
          server: await startQuoteServerProcess({ latencyMs: 0, jitterMs: 0, seed: 1 }),
          symbols: sp500Symbols,
        }
        await fetchAll(s)
        return s
      },
      fn: fetchAll,
      teardown: (s: FetchState): Promise<void> => s.server.stop(),
    },
    {
      name: 'faulty',
      unit: 'symbols',
      itemsPerOp: items,
      setup: collector({ latencyMs: LATENCY_MS, errorRate: 0.05, rateLimitRate: 0.02, retryAfterSeconds: 0.05 }, 100),
      fn: run,
      teardown: async (s: State): Promise<void> => {
        const stats = await s.server.stats()
        console.error(
          `symbol_collection/faulty: ${s.ops} timed ops, ${s.retries} retries (${(s.retries / Math.max(1, s.ops)).toFixed(1)}/op); ` +
            `server: ${stats.requests} requests, ${stats.faults.error} x 503, ${stats.faults.rate_limit} x 429, ` +
            `${stats.quotesServed} quotes served`,
        )
        await stop(s)
      },
    },
  ],
})

export default suite
