import { HttpQuoteSource, nativeFormat, startQuoteServerProcess } from '@ttapi/collector'
import type { FetchOptions, QuoteOutcome, QuoteServerOptions, QuoteServerProcess, QuoteSource } from '@ttapi/collector'

/**
 * A QuoteSource that starts the embedded quote server (in a child process) on its first request, so a cached run
 * pays for the server only when it has to fall back to collecting.
 */
export class LazyQuoteSource implements QuoteSource {
  readonly maxBatchSize: number = nativeFormat.maxBatchSize
  readonly concurrency: number
  /** The running server, once started. */
  server: QuoteServerProcess | null = null
  readonly #options: QuoteServerOptions
  readonly #onStart: (server: QuoteServerProcess) => void
  #source: Promise<HttpQuoteSource> | null = null

  /**
   * @param concurrency - Requests in flight.
   * @param options - Options of the embedded server.
   * @param onStart - Called once the server listens.
   */
  constructor(concurrency: number, options: QuoteServerOptions, onStart: (server: QuoteServerProcess) => void) {
    this.concurrency = concurrency
    this.#options = options
    this.#onStart = onStart
  }

  /** Starts the server now (cold runs start it before the timed collection). */
  start(): Promise<HttpQuoteSource> {
    this.#source ??= startQuoteServerProcess(this.#options).then(async (server) => {
      this.server = server
      this.#onStart(server)
      const source = new HttpQuoteSource({ url: server.url, concurrency: this.concurrency })
      await source.open()
      return source
    })
    return this.#source
  }

  /** Fetches one symbol (starting the server first if needed). */
  async fetchQuote(symbol: string, options?: FetchOptions): Promise<QuoteOutcome> {
    return (await this.fetchQuotes([symbol], options))[0]!
  }

  /** Fetches many symbols (starting the server first if needed). */
  async fetchQuotes(symbols: readonly string[], options?: FetchOptions): Promise<QuoteOutcome[]> {
    let source: HttpQuoteSource
    try {
      source = await this.start()
    } catch (error) {
      // A server that cannot start is a source that cannot be reached: every symbol fails, none is thrown.
      const reason = `embedded quote server did not start: ${(error as Error).message}`
      return symbols.map((symbol) => ({
        state: 'failed',
        symbol,
        failure: { symbol, code: 'connection', reason, attempts: 0, lastStatus: null, excerpt: null },
      }))
    }
    return symbols.length === 1 ? [await source.fetchQuote(symbols[0]!, options)] : source.fetchQuotes(symbols, options)
  }

  /** Closes the HTTP pool and stops the server, when they were started. */
  async close(): Promise<void> {
    if (this.#source === null) return
    const source = await this.#source.catch(() => null)
    await source?.close()
    await this.server?.stop()
  }
}
