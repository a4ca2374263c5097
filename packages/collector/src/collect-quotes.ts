import { performance } from 'node:perf_hooks'
import { integerOption, numberOption } from './_options.ts'
import { SymbolFilter } from './_symbol-filter.ts'
import { InvalidOptionError } from './errors.ts'
import { HttpQuoteSource } from './http-quote-source.ts'
import type {
  CollectQuotesOptions,
  CollectQuotesResult,
  FailureCode,
  FetchCounters,
  FetchOptions,
  Quote,
  QuoteFailure,
  QuoteOutcome,
  QuoteSource,
} from './types.ts'

interface Unit {
  start: number
  symbols: string[]
}

function failed(symbol: string, code: FailureCode, reason: string): QuoteOutcome {
  return { state: 'failed', symbol, failure: { symbol, code, reason, attempts: 0, lastStatus: null, excerpt: null } }
}

/** Validates the options and opens the source: the caller's, or an `HttpQuoteSource` made (and closed) here. */
function openSource(options: CollectQuotesOptions): {
  source: QuoteSource
  ownSource: boolean
  batchOption: number
  deadlineMs: number | undefined
} {
  if (typeof options !== 'object' || options === null || options.source === undefined) {
    throw new InvalidOptionError('collector: Expected `source` (a QuoteSource or a base URL), got nothing')
  }
  const deadlineMs = options.deadlineMs === undefined ? undefined : numberOption('deadlineMs', options.deadlineMs, 0, 0)
  const batchOption = integerOption('batchSize', options.batchSize, 1, 1)
  if (options.concurrency !== undefined) integerOption('concurrency', options.concurrency, 1, 1)
  // A source made here gets the collection's concurrency, so its pool opens no more connections than requests run.
  const source: QuoteSource =
    typeof options.source === 'string'
      ? new HttpQuoteSource({
          ...options.http,
          url: options.source,
          concurrency: options.concurrency ?? options.http?.concurrency,
        })
      : options.source
  return { source, ownSource: typeof options.source === 'string', batchOption, deadlineMs }
}

/** An array is known up front: filtered now, so progress can show a total. Other inputs are filtered as read. */
function prefilter(
  symbols: Iterable<string> | AsyncIterable<string>,
  filter: SymbolFilter,
): { valid: Iterable<string> | AsyncIterable<string>; total: number | null } {
  if (!Array.isArray(symbols)) return { valid: symbols, total: null }
  const list: string[] = []
  for (const s of symbols as string[]) {
    const symbol = filter.accept(s)
    if (symbol !== null) list.push(symbol)
  }
  return { valid: list, total: list.length }
}

/** The input in units of at most `batchSize` valid symbols, each with its position; `filter` null when prefiltered. */
async function* unitsOf(
  valid: Iterable<string> | AsyncIterable<string>,
  filter: SymbolFilter | null,
  batchSize: number,
): AsyncGenerator<Unit> {
  let start = 0
  let batch: string[] = []
  for await (const s of valid) {
    const symbol = filter === null ? s : filter.accept(s)
    if (symbol === null) continue
    batch.push(symbol)
    if (batch.length === batchSize) {
      yield { start, symbols: batch }
      start += batch.length
      batch = []
    }
  }
  if (batch.length > 0) yield { start, symbols: batch }
}

/** One unit's outcomes: from the source, or failed before the request (aborted, past the deadline, a throw). */
async function fetchUnit(
  source: QuoteSource,
  unit: Unit,
  options: FetchOptions,
  deadlinePassed: boolean,
): Promise<QuoteOutcome[]> {
  const { signal, deadline } = options
  if (signal?.aborted) return unit.symbols.map((s) => failed(s, 'aborted', 'aborted before the request'))
  if (deadline !== undefined && (deadlinePassed || performance.now() >= deadline)) {
    return unit.symbols.map((s) => failed(s, 'deadline', 'the deadline passed before the request'))
  }
  try {
    return unit.symbols.length === 1
      ? [await source.fetchQuote(unit.symbols[0]!, options)]
      : await source.fetchQuotes(unit.symbols, options)
  } catch (error) {
    // A QuoteSource should not throw for a failed fetch; if one does, its symbols still get a reason.
    const reason = `the quote source threw: ${(error as Error)?.message ?? String(error)}`
    return unit.symbols.map((s) => failed(s, 'provider_error', reason))
  }
}

/** The outcomes so far, in input order once sorted: quotes by position, failures with theirs. */
class Tally {
  readonly quotes: (Quote | undefined)[] = []
  readonly failures: { index: number; failure: QuoteFailure }[] = []
  count = 0
  ok = 0
  // Set once a request is cut by the deadline: its timer runs on the event loop's millisecond clock and can fire a
  // fraction of a millisecond before performance.now() reaches the deadline, and no later symbol should be sent then.
  deadlinePassed = false

  record(unit: Unit, outcomes: QuoteOutcome[]): void {
    for (let i = 0; i < unit.symbols.length; i++) {
      const o = outcomes[i] ?? failed(unit.symbols[i]!, 'provider_error', 'the quote source returned no outcome')
      if (o.state === 'ok') {
        this.quotes[unit.start + i] = o.quote
        this.ok++
      } else {
        this.failures.push({ index: unit.start + i, failure: o.failure })
        if (o.failure.code === 'deadline') this.deadlinePassed = true
      }
    }
    this.count += unit.symbols.length
  }

  result(issues: CollectQuotesResult['issues'], counters: FetchCounters, started: number): CollectQuotesResult {
    this.failures.sort((a, b) => a.index - b.index)
    const collected: Quote[] = []
    for (const q of this.quotes) if (q !== undefined) collected.push(q)
    return {
      quotes: collected,
      failures: this.failures.map((f) => f.failure),
      issues,
      stats: {
        symbols: this.count,
        requests: counters.requests,
        retries: counters.retries,
        bytes: counters.bytes,
        elapsedMs: performance.now() - started,
        maxInFlight: counters.maxInFlight,
      },
    }
  }
}

/**
 * Collects quotes for a symbol universe with a bounded pool of `concurrency` workers pulling from the input, so
 * memory grows with the results only: 20,000 symbols never become 20,000 pending promises. Symbols are normalised
 * (see `normalizeSymbol`); invalid and duplicate inputs are returned as `issues` and never fetched. Every valid
 * symbol ends in exactly one of `quotes` and `failures`; nothing is dropped. Abort and deadline resolve the promise:
 * symbols not collected fail with `aborted` / `deadline`.
 * @param symbols - symbols as written; an array, any iterable, or an async iterable (read lazily)
 * @param options - the source (a `QuoteSource` or a base URL) and the collection policy
 * @example
 * const { quotes, failures, stats } = await collectQuotes(sp500Symbols, { source: 'http://127.0.0.1:8080' })
 */
export async function collectQuotes(
  symbols: Iterable<string> | AsyncIterable<string>,
  options: CollectQuotesOptions,
): Promise<CollectQuotesResult> {
  const started = performance.now()
  const { source, ownSource, batchOption, deadlineMs } = openSource(options)
  try {
    const concurrency = integerOption('concurrency', options.concurrency, 1, source.concurrency)
    const batchSize = Math.max(1, Math.min(batchOption, source.maxBatchSize))
    const deadline = deadlineMs === undefined ? undefined : started + deadlineMs
    const filter = new SymbolFilter()
    const { valid, total } = prefilter(symbols, filter)
    const units = unitsOf(valid, total === null ? filter : null, batchSize)
    const counters: FetchCounters = { requests: 0, retries: 0, bytes: 0, inFlight: 0, maxInFlight: 0 }
    const fetchOptions: FetchOptions = { counters }
    if (options.signal) fetchOptions.signal = options.signal
    if (deadline !== undefined) fetchOptions.deadline = deadline
    if (options.onRetry) fetchOptions.onRetry = options.onRetry
    const tally = new Tally()
    const worker = async (): Promise<void> => {
      for (;;) {
        const next = await units.next()
        if (next.done === true) return
        const unit = next.value
        tally.record(unit, await fetchUnit(source, unit, fetchOptions, tally.deadlinePassed))
        const { count, ok } = tally
        options.onProgress?.({ done: count, total, ok, failed: count - ok, inFlight: counters.inFlight })
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    return tally.result(filter.issues, counters, started)
  } finally {
    if (ownSource) await source.close()
  }
}
