import type { Quote, QuoteProblem } from './types.ts'

const PRICE_FIELDS = ['last', 'open', 'high', 'low', 'close', 'previousClose'] as const

/** Checks a decoded quote against the `Quote` contract; a `QuoteProblem` names the first field that breaks it. */
export function validateQuote(q: Quote, expected: string, format: string): Quote | QuoteProblem {
  const bad = (what: string): QuoteProblem => ({ code: 'malformed', reason: `${format}: ${expected}: ${what}` })
  if (q.symbol !== expected) return bad(`response is for symbol ${JSON.stringify(q.symbol)}`)
  if (typeof q.time !== 'number' || !Number.isFinite(q.time)) return bad(`time is ${JSON.stringify(q.time)}`)
  for (const f of PRICE_FIELDS) {
    const v = q[f]
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return bad(`${f} is ${JSON.stringify(v)}`)
  }
  for (const f of ['bid', 'ask'] as const) {
    const v = q[f]
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0))
      return bad(`${f} is ${JSON.stringify(v)}`)
  }
  if (typeof q.volume !== 'number' || !Number.isFinite(q.volume) || q.volume < 0) {
    return bad(`volume is ${JSON.stringify(q.volume)}`)
  }
  if (q.high < q.low) return bad(`high ${q.high} is below low ${q.low}`)
  if (q.bid !== null && q.ask !== null && q.bid > q.ask) return bad(`bid ${q.bid} is above ask ${q.ask}`)
  return q
}

/** True when `x` is a problem rather than a quote. */
export function isProblem(x: Quote | QuoteProblem): x is QuoteProblem {
  return 'code' in x
}
