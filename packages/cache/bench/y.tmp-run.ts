import { readFileSync, readdirSync, openSync, fstatSync, readSync, closeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TtlCache, collectQuotesCached, quotesToColumns, quotesCacheKey } from '../src/index.ts'
import { parseEntry } from '../src/_entry-file.ts'
import { decodeValue } from '../src/codec.ts'
import { UNIVERSE, universeQuotes } from './_universe.ts'
const dir = '/tmp/cachework/ydir'
const quotes = await universeQuotes()
await new TtlCache({ dir }).set(quotesCacheKey(UNIVERSE), {
  quotes: quotesToColumns(quotes),
  failures: [],
  issues: [],
  stats: {},
})
const file = join(
  dir,
  readdirSync(dir).find((n) => n.endsWith('.ttc'))!,
)
async function time(name: string, f: () => unknown) {
  for (let i = 0; i < 300; i++) await f()
  const s: number[] = []
  for (let i = 0; i < 2000; i++) {
    const t = performance.now()
    await f()
    s.push(performance.now() - t)
  }
  s.sort((a, b) => a - b)
  console.log(name.padEnd(20), (s[1000]! * 1000).toFixed(1), 'us p50', (s[1900]! * 1000).toFixed(1), 'us p95')
}
await time('readFile async', () => readFile(file))
await time('readFileSync', () => readFileSync(file))
await time('open/fstat/read sync', () => {
  const fd = openSync(file, 'r')
  const st = fstatSync(fd)
  const b = Buffer.allocUnsafeSlow(st.size)
  readSync(fd, b, 0, st.size, 0)
  closeSync(fd)
  return b
})
const bytes = readFileSync(file)
await time('parseEntry (crc)', () => parseEntry(bytes, quotesCacheKey(UNIVERSE)))
const p = parseEntry(bytes, quotesCacheKey(UNIVERSE))
if (!p.ok) throw 1
await time('decode', () => decodeValue(p.header.codec, p.payload))
await time('whole disk path', async () => {
  const cache = new TtlCache({ dir })
  return (await collectQuotesCached(UNIVERSE, { cache, source: 'http://127.0.0.1:9' })).quotes.length
})
process.exit(0)
