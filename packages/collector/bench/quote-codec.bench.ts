// Suite `cache_codec` (named when it lived in @ttapi/cache): how to serialise cached quotes, decided by
// measurement. Two value shapes: the 507 quotes (objects, or columns via quotesToColumns) and a 200,000-row OHLCV ColumnTable.
// Decode cases start from the encoded bytes in memory (no file I/O) and end with usable values
// (quote objects, typed-array columns).
import { defineSuite, type SuiteDefinition } from '@ttapi/bench'
import { CODEC_IDS, decodeValue, encodeValue, type CodecName } from '@ttapi/cache'
import type { ColumnTable } from '@ttapi/columnar-io'
import { columnsToQuotes, quotesToColumns } from '../src/_quote-columns.ts'
import type { Quote, QuoteColumns } from '../src/index.ts'
import { UNIVERSE, universeQuotes } from './_universe.ts'

const N = UNIVERSE.length
const ROWS = 200_000

function joined(value: unknown, codec: CodecName): Uint8Array {
  const encoded = encodeValue(value, codec)
  // 8-aligned, like the payload in an entry file.
  const out = new Uint8Array(new ArrayBuffer(encoded.length))
  let at = 0
  for (const c of encoded.chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

function table(rows: number): ColumnTable {
  const t: ColumnTable = {
    length: rows,
    symbols: UNIVERSE.slice(),
    symbol: new Int32Array(rows),
    date: new Int32Array(rows),
    open: new Float64Array(rows),
    high: new Float64Array(rows),
    low: new Float64Array(rows),
    close: new Float64Array(rows),
    volume: new Float64Array(rows),
    openInterest: null,
  }
  for (let i = 0; i < rows; i++) {
    t.symbol[i] = i % N
    t.date[i] = 19000 + Math.floor(i / N)
    const p = 100 + (i % 997) * 0.01
    t.open[i] = p
    t.high[i] = p + 1
    t.low[i] = p - 1
    t.close[i] = p + 0.5
    t.volume[i] = 1000 + i
  }
  return t
}

// Quotes as objects through msgpack / v8 / json; as columns through the columnar layout.
const quoteDecode = (codec: CodecName) => ({
  name: `decode_quotes_${codec}`,
  unit: 'symbols' as const,
  itemsPerOp: N,
  maxTimeMs: 800,
  bytesPerOp: (s: { bytes: Uint8Array }) => s.bytes.byteLength,
  setup: async () => {
    const quotes = await universeQuotes()
    return { bytes: joined(codec === 'columnar' ? quotesToColumns(quotes) : quotes, codec) }
  },
  fn: ({ bytes }: { bytes: Uint8Array }) => {
    const value = decodeValue(CODEC_IDS[codec], bytes)
    const quotes = codec === 'columnar' ? columnsToQuotes(value as QuoteColumns) : (value as Quote[])
    if (quotes.length !== N) throw new Error('bench: wrong quote count')
    return quotes
  },
})

const quoteEncode = (codec: CodecName) => ({
  name: `encode_quotes_${codec}`,
  unit: 'symbols' as const,
  itemsPerOp: N,
  maxTimeMs: 800,
  setup: async () => ({ quotes: await universeQuotes() }),
  fn: ({ quotes }: { quotes: Quote[] }) =>
    encodeValue(codec === 'columnar' ? quotesToColumns(quotes) : quotes, codec).length,
})

const tableDecode = (codec: CodecName) => ({
  name: `decode_table_${codec}`,
  unit: 'rows' as const,
  itemsPerOp: ROWS,
  maxTimeMs: 800,
  bytesPerOp: (s: { bytes: Uint8Array }) => s.bytes.byteLength,
  setup: () => ({ bytes: joined(table(ROWS), codec) }),
  fn: ({ bytes }: { bytes: Uint8Array }) => {
    const t = decodeValue(CODEC_IDS[codec], bytes) as ColumnTable
    if (t.close.length !== ROWS) throw new Error('bench: wrong row count')
    return t
  },
})

const tableEncode = (codec: CodecName) => ({
  name: `encode_table_${codec}`,
  unit: 'rows' as const,
  itemsPerOp: ROWS,
  maxTimeMs: 800,
  setup: () => ({ t: table(ROWS) }),
  fn: ({ t }: { t: ColumnTable }) => encodeValue(t, codec).length,
})

const suite: SuiteDefinition = defineSuite({
  suite: 'cache_codec',
  cases: [
    ...(['columnar', 'msgpack', 'v8', 'json'] as const).map(quoteDecode),
    ...(['columnar', 'msgpack', 'v8', 'json'] as const).map(quoteEncode),
    ...(['columnar', 'msgpack', 'v8'] as const).map(tableDecode),
    ...(['columnar', 'msgpack', 'v8'] as const).map(tableEncode),
  ],
})

export default suite
