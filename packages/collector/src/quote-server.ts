import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { mulberry32 } from './_hash.ts'
import { QuoteResponder } from './_quote-responder.ts'
import { quoteServerConfig } from './_quote-server-config.ts'
import type { QuoteServer, QuoteServerOptions, QuoteServerRequest, QuoteServerStats } from './types.ts'

/** Counts connections (open, peak, dropped over `maxConnections`) and keeps them to destroy on close. */
function trackConnections(server: Server, responder: QuoteResponder, sockets: Set<Socket>): void {
  server.on('drop', () => {
    responder.stats.droppedConnections++
  })
  server.on('connection', (socket: Socket) => {
    const stats = responder.stats
    sockets.add(socket)
    stats.connections++
    if (stats.connections > stats.peakConnections) stats.peakConnections = stats.connections
    socket.once('close', () => {
      sockets.delete(socket)
      responder.stats.connections--
    })
  })
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

/**
 * Starts the embedded quote server on 127.0.0.1: the default quote source of the pipeline, with realistic latency
 * and injectable faults, deterministic for a seed.
 *
 * Routes: `GET /quotes/:symbol` (a `Quote`; 400 for an invalid symbol, 404 for an unknown one),
 * `GET /quotes?symbols=A,B,C` (`{ quotes, errors }`, at most `maxBatchSize` symbols),
 * `GET /query?function=GLOBAL_QUOTE&symbol=X&apikey=K` (Alpha Vantage's format), `GET /health`.
 * Prices come from the synthetic market: deterministic per (seed, symbol, day).
 * Faults are decided per request from (seed, request key, n-th request for that key), so a run is reproducible
 * whatever the interleaving; `faultPlan` scripts them exactly.
 * @param options - port, seed, day, latency, fault rates, limits (all optional)
 * @example
 * const server = await startQuoteServer({ latencyMs: 5, jitterMs: 0, errorRate: 0.05 })
 * // ... collectQuotes(symbols, { source: server.url })
 * await server.close()
 */
export async function startQuoteServer(options: QuoteServerOptions = {}): Promise<QuoteServer> {
  const config = quoteServerConfig(options)
  const responder = new QuoteResponder(config)
  const jitter = mulberry32(config.seed ^ 0x5eed)
  const { latencyMs, jitterMs } = config
  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    const entry = responder.begin(req, res)
    const delay = latencyMs + (jitterMs > 0 ? (2 * jitter() - 1) * jitterMs : 0)
    if (delay <= 0) responder.respond(req, res, entry)
    else responder.later(delay, () => responder.respond(req, res, entry))
  })
  if (config.maxConnections !== undefined) server.maxConnections = config.maxConnections
  const sockets = new Set<Socket>()
  trackConnections(server, responder, sockets)
  const port = await listen(server, config.port)
  let closing: Promise<void> | null = null
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats: (): QuoteServerStats => {
      const stats = responder.stats
      return { ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults } }
    },
    requests: (): readonly QuoteServerRequest[] => responder.log,
    resetStats: (): void => responder.resetStats(),
    close: (): Promise<void> => {
      closing ??= new Promise<void>((resolve) => {
        responder.cancelTimers()
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      return closing
    },
  }
}
