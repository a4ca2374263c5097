import { quotesToColumns, TtlCache } from '../src/index.ts'
import { universeQuotes } from './_universe.ts'
const quotes = await universeQuotes()
const cache = new TtlCache({ dir: '/tmp/cachework/x' })
const stats = { symbols: 507, requests: 0, retries: 0, bytes: 0, elapsedMs: 0, maxInFlight: 0 }
async function time(name: string, f: () => void) {
  for (let i = 0; i < 2000; i++) f()
  const s: number[] = []
  for (let i = 0; i < 5000; i++) {
    const t = performance.now()
    f()
    s.push(performance.now() - t)
    if (i % 100 === 0) await new Promise((r) => setImmediate(r))
  }
  s.sort((a, b) => a - b)
  console.log(name, (s[2500]! * 1000).toFixed(2), 'us p50', (s[4750]! * 1000).toFixed(2), 'us p95')
}
await time('quotesToColumns', () => void quotesToColumns(quotes))
const cols = quotesToColumns(quotes)
await time('persist only', () => cache.persistInBackground('k', { quotes: cols, failures: [], issues: [], stats }))
await time('both', () =>
  cache.persistInBackground('k', { quotes: quotesToColumns(quotes), failures: [], issues: [], stats }),
)
await cache.flush()
process.exit(0)
