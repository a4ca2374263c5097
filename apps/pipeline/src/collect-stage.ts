import { TtlCache } from '@ttapi/cache'
import type { CacheWarning } from '@ttapi/cache'
import { collectQuotesCached, quotesCacheKey } from '@ttapi/collector'
import type { Quote, QuoteSource } from '@ttapi/collector'
import { formatDuration } from './stage-table.ts'
import type { Terminal } from './terminal.ts'
import type { FailureRecord, RunMode, StageReport } from './types.ts'

/** What the collection stage needs. */
export interface CollectStageInput {
  /** Canonical symbols to collect. */
  symbols: readonly string[]
  /** `cold` collects every quote; `cached` serves a fresh cached collection. */
  mode: RunMode
  /** The quotes cache (a `TtlCache` under `<cache>/quotes`). */
  cache: TtlCache
  /** Corrupt-file warnings the cache raised (the stage reads them to say why it fell back). */
  warnings: CacheWarning[]
  /** Where quotes come from. */
  source: QuoteSource
  /** Requests in flight. */
  concurrency: number
  /** Time to live of a fresh collection, in ms. */
  ttlMs: number
  /** Output. */
  terminal: Terminal
  /** Called before the timed collection when the cache cannot serve it (starts the embedded server). */
  prepare?: () => Promise<unknown>
}

/** What the collection stage produced. */
export interface CollectStageOutput {
  /** Stage report. */
  report: StageReport
  /** Collected quotes by symbol. */
  quotes: Map<string, Quote>
  /** Symbols not collected, with reasons. */
  failures: FailureRecord[]
}

/**
 * Stage 1: quotes for the universe. Cold collects from the source and refreshes the cache; cached serves a fresh
 * cached collection of the same symbol list, and collects (saying why) when it is missing, stale or corrupt.
 * @param input - See {@link CollectStageInput}.
 */
export async function collectStage(input: CollectStageInput): Promise<CollectStageOutput> {
  const { symbols, mode, cache, terminal } = input
  let start = performance.now()
  let fallback: string | null = null
  let peeked: 'memory' | 'disk' | null = null
  if (mode === 'cached') {
    // Peek first so the report can say whether the entry was missing, stale or corrupt.
    const before = input.warnings.length
    const key = quotesCacheKey(symbols)
    const entry = await cache.load(key)
    peeked = entry?.source ?? null
    const corrupt = input.warnings.slice(before).find((w) => w.code === 'TTAPI_CACHE_CORRUPT')
    if (corrupt !== undefined) {
      const file = corrupt.file ?? '(quotes cache entry)'
      const reason = corrupt.reason ?? corrupt.message
      fallback = `corrupt quotes cache: ${file}: ${reason}`
      // Said once, naming the file: the cache's own warning for it is not printed (run-pipeline.ts).
      terminal.warn(`cache: ${file}: ${reason}; refetching the quotes from the source`)
    } else if (entry === undefined) fallback = 'no cached quotes for this universe'
    else if (entry.isExpired)
      fallback = `cached quotes are stale (collected ${formatDuration(entry.ageMs)} ago, fresh for ${formatDuration(entry.expiresAt - entry.createdAt)})`
    // Like a cold run, a fallback does not count the quote server's start-up as collection time.
    if (fallback !== null && input.prepare !== undefined) {
      await input.prepare().catch(() => undefined)
      start = performance.now()
    }
  }
  const progress = terminal.progress('symbol collection', symbols.length, 'symbols')
  const result = await collectQuotesCached(symbols, {
    cache,
    source: input.source,
    concurrency: input.concurrency,
    ttl: input.ttlMs,
    refresh: mode === 'cold',
    onProgress: (p) => progress.update(p.done, p.failed > 0 ? `(${p.failed} failed)` : ''),
  })
  const ms = performance.now() - start
  const fromCache = result.source !== 'collected'
  if (fromCache) fallback = null
  else if (mode === 'cached' && fallback === null) fallback = 'cached quotes were not usable'
  const quotes = new Map<string, Quote>()
  for (const q of result.quotes) quotes.set(q.symbol, q)
  const failures: FailureRecord[] = result.failures.map((f) => ({
    stage: 'collection',
    subject: f.symbol,
    code: f.code,
    reason: f.reason,
  }))
  for (const issue of result.issues) {
    failures.push({ stage: 'collection', subject: issue.input, code: `symbol_${issue.kind}`, reason: issue.message })
  }
  const attempted = symbols.length
  const failed = result.failures.length
  const status = failed === 0 ? 'ok' : result.quotes.length === 0 ? 'failed' : 'partial'
  const layer = result.source === 'memory' && peeked === 'disk' ? 'disk' : result.source
  const where = fromCache
    ? `from the ${layer} cache (collected ${Math.round(result.ageMs / 1000)} s ago)`
    : 'from the source'
  const note = `${result.quotes.length}/${attempted} quotes ${where}${failed > 0 ? `, ${failed} failed` : ''}`
  progress.finish(`symbol collection: ${note} in ${Math.round(ms)} ms`)
  if (fallback !== null && !fallback.startsWith('corrupt quotes cache: '))
    terminal.warn(`symbol collection fell back to cold: ${fallback}`)
  return {
    report: {
      stage: 'collection',
      ms,
      source: fromCache ? 'cache' : 'source',
      status,
      items: result.quotes.length,
      attempted,
      failed,
      failureShare: attempted === 0 ? 0 : failed / attempted,
      fallback,
      note,
    },
    quotes,
    failures,
  }
}
