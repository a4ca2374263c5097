import { describe, expect, it } from 'vitest'
import { collectQuotes } from '../src/collect-quotes.ts'
import { QuoteServerError } from '../src/errors.ts'
import { startQuoteServerProcess } from '../src/quote-server-process.ts'

describe('startQuoteServerProcess', () => {
  it('runs the server in a child process, reports its stats, and stops it', async () => {
    const server = await startQuoteServerProcess({ latencyMs: 1, jitterMs: 0, seed: 5 })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.pid).not.toBe(process.pid)
      const r = await collectQuotes(['AAPL', 'MSFT', 'BRK-B'], { source: server.url })
      expect(r.quotes).toHaveLength(3)
      const stats = await server.stats()
      expect(stats.requests).toBe(3)
      expect(stats.quotesServed).toBe(3)
    } finally {
      await server.stop()
    }
    expect(() => process.kill(server.pid, 0)).toThrow()
    await server.stop() // idempotent
  })

  it('rejects with QuoteServerError carrying the child stderr when the options are bad', async () => {
    const error = await startQuoteServerProcess({ errorRate: 3 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuoteServerError)
    expect((error as Error).message).toMatch(/exited with code 2.*errorRate/)
  })
})
