// The quote server's options, validated once into the settings the request handler reads.
import { integerOption, numberOption, rateOption } from './_options.ts'
import { InvalidOptionError } from './errors.ts'
import { normalizeSymbol } from './normalize-symbol.ts'
import type { FaultKind, QuoteServerOptions } from './types.ts'

const FAULT_KINDS: readonly FaultKind[] = ['error', 'rate_limit', 'malformed', 'truncated', 'slow_body', 'reset']

/** Every setting of a quote server, defaults applied. */
export interface QuoteServerConfig {
  /** TCP port to listen on (0: any free one). */
  port: number
  /** Seed of prices, latency jitter and faults. */
  seed: number
  /** Trading day of the quotes, as days since 1970-01-01. */
  day: number
  /** Base latency of every response, in ms. */
  latencyMs: number
  /** Uniform jitter around the latency, in ms. */
  jitterMs: number
  /** Fault kinds with their rates, in the order a draw tries them. */
  rates: readonly (readonly [FaultKind, number])[]
  /** Status of an injected `error` fault (5xx). */
  errorStatus: number
  /** Retry-After of injected faults, in seconds. */
  retryAfterSeconds: number
  /** How Retry-After is written. */
  retryAfterFormat: 'seconds' | 'http-date'
  /** How long a `slow_body` response pauses halfway, in ms. */
  slowBodyMs: number
  /** Most symbols one `/quotes?symbols=` request may carry. */
  maxBatchSize: number
  /** Most open connections, or undefined for no limit. */
  maxConnections: number | undefined
  /** Token-bucket refill rate in requests per second; 0 for no rate limit. */
  requestsPerSecond: number
  /** Token-bucket capacity. */
  burst: number
  /** Canonical symbols the server knows, or null for every valid ticker. */
  known: ReadonlySet<string> | null
  /** Scripted faults per request key. */
  plan: ReadonlyMap<string, readonly (FaultKind | null)[]>
  /** Whether every request is logged. */
  record: boolean
}

function parseDay(date: string | undefined): number {
  const d = date ?? new Date().toISOString().slice(0, 10)
  const ms = /^\d{4}-\d\d-\d\d$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN
  if (!Number.isFinite(ms)) {
    throw new InvalidOptionError(`collector: Expected \`date\` to be YYYY-MM-DD, got \`${JSON.stringify(date)}\``)
  }
  return Math.floor(ms / 86_400_000)
}

function faultRates(options: QuoteServerOptions): [FaultKind, number][] {
  return [
    ['error', rateOption('errorRate', options.errorRate)],
    ['rate_limit', rateOption('rateLimitRate', options.rateLimitRate)],
    ['malformed', rateOption('malformedRate', options.malformedRate)],
    ['truncated', rateOption('truncatedRate', options.truncatedRate)],
    ['slow_body', rateOption('slowBodyRate', options.slowBodyRate)],
    ['reset', rateOption('resetRate', options.resetRate)],
  ]
}

function knownSymbols(symbols: readonly string[] | undefined): Set<string> | null {
  if (symbols === undefined) return null
  const known = new Set<string>()
  for (const s of symbols) {
    const n = normalizeSymbol(s)
    if (n !== null) known.add(n)
  }
  return known
}

function faultPlan(plan: QuoteServerOptions['faultPlan']): Map<string, (FaultKind | null)[]> {
  const out = new Map<string, (FaultKind | null)[]>()
  for (const [key, faults] of Object.entries(plan ?? {})) {
    for (const f of faults) {
      if (f !== null && !FAULT_KINDS.includes(f)) {
        throw new InvalidOptionError(
          `collector: Expected \`faultPlan.${key}\` to hold fault kinds, got \`${String(f)}\``,
        )
      }
    }
    out.set(key, faults)
  }
  return out
}

function retryAfterFormatOption(format: QuoteServerOptions['retryAfterFormat']): 'seconds' | 'http-date' {
  const f = format ?? 'seconds'
  if (f !== 'seconds' && f !== 'http-date') {
    throw new InvalidOptionError(
      `collector: Expected \`retryAfterFormat\` to be 'seconds' or 'http-date', got \`${String(f)}\``,
    )
  }
  return f
}

/**
 * Validates the options of `startQuoteServer` (each mistake an `InvalidOptionError` naming the option).
 * @param options - the caller's options
 */
export function quoteServerConfig(options: QuoteServerOptions): QuoteServerConfig {
  // Checked in the order of the options' documentation, so the first mistake is the one reported.
  const port = integerOption('port', options.port, 0, 0)
  const seed = integerOption('seed', options.seed, 0, 1)
  const day = parseDay(options.date)
  const latencyMs = numberOption('latencyMs', options.latencyMs, 0, 50)
  const jitterMs = numberOption('jitterMs', options.jitterMs, 0, 20)
  const rates = faultRates(options)
  const errorStatus = integerOption('errorStatus', options.errorStatus, 500, 503)
  if (errorStatus > 599) {
    throw new InvalidOptionError(`collector: Expected \`errorStatus\` to be a 5xx status, got \`${errorStatus}\``)
  }
  const retryAfterSeconds = numberOption('retryAfterSeconds', options.retryAfterSeconds, 0, 1)
  const retryAfterFormat = retryAfterFormatOption(options.retryAfterFormat)
  const slowBodyMs = numberOption('slowBodyMs', options.slowBodyMs, 0, 1000)
  const maxBatchSize = integerOption('maxBatchSize', options.maxBatchSize, 1, 100)
  const maxConnections =
    options.maxConnections === undefined ? undefined : integerOption('maxConnections', options.maxConnections, 1, 1)
  const limit = options.rateLimit
  const requestsPerSecond = limit ? numberOption('rateLimit.requestsPerSecond', limit.requestsPerSecond, 0.001, 1) : 0
  const burst = limit ? numberOption('rateLimit.burst', limit.burst, 1, Math.max(1, requestsPerSecond)) : 0
  return {
    port,
    seed,
    day,
    latencyMs,
    jitterMs,
    rates,
    errorStatus,
    retryAfterSeconds,
    retryAfterFormat,
    slowBodyMs,
    maxBatchSize,
    maxConnections,
    requestsPerSecond,
    burst,
    known: knownSymbols(options.knownSymbols),
    plan: faultPlan(options.faultPlan),
    record: options.recordRequests === true,
  }
}
