// Retry policy: what is retried, and how long to wait.

/**
 * Statuses retried by default. Everything else (400, 401, 403, 404, 500, ...) is final: retrying a request the
 * server understood and refused only repeats the refusal.
 */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [
  429, // Too Many Requests: the server asks us to slow down; honour its Retry-After.
  502, // Bad Gateway: a proxy in front of the provider failed to reach it; usually transient.
  503, // Service Unavailable: overload or maintenance; may carry Retry-After.
  504, // Gateway Timeout: a proxy timed out waiting for the provider; usually transient.
]

/**
 * Connection errors retried: the connection broke before any response arrived, so the request may not have reached
 * the server. Refused connections (nothing listening) and DNS failures are final.
 */
export const RETRY_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', // the peer reset the connection (e.g. a connection cap, a restarting server)
  'EPIPE', // we wrote to a connection the peer had already closed
  'UND_ERR_SOCKET', // undici: the other side closed the socket (e.g. a keep-alive connection closed as we reused it)
])

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds (decimals accepted, e.g. `0.05`) or an HTTP-date
 * (RFC 9110 section 10.2.3). Null when absent or unparsable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (v === undefined || v === '') return null
  if (/^\d+(?:\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  // An HTTP-date always names a day and a month; this keeps Date.parse from accepting bare numbers like "-1".
  const at = /[A-Za-z]{3}/.test(v) ? Date.parse(v) : NaN
  if (Number.isNaN(at)) return null
  return Math.max(0, at - now)
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1))
  return Math.floor(random() * ceiling)
}
