// The checksum of a column table's contents, kept in the column cache's manifest and checked when the column file is
// read back. It covers the decoded columns, not the file's bytes: damage that changes no value (a statistics field
// of the footer) changes no result, and damage that changes a value is caught whichever page it hit.
//
// XXH64 (@node-rs/xxhash, native) runs at ~14 GB/s here: 4.7 ms over the quick market's 66 MB of columns, where
// zlib's CRC-32 takes 15 ms and SHA-256 (SHA extensions) 45 ms. That is still ~12% of a `ttapi run --cached` import
// stage, so the columns are hashed in two halves, one on a helper thread started before the timed stages
// (`startColumnChecksumHelper`), the other on the calling thread: ~2.5 ms. See README for the stage before and after.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { Xxh64 } from '@node-rs/xxhash'
import type { ColumnTable } from '@ttapi/columnar-io'

type Column = Int32Array | Float64Array

/** One half's columns, as byte views of their first `length` values. */
function halves(table: ColumnTable): { a: Uint8Array[]; b: Uint8Array[] } {
  const n = table.length
  const bytes = (c: Column): Uint8Array => new Uint8Array(c.buffer, c.byteOffset, n * c.BYTES_PER_ELEMENT)
  const a = [table.symbol, table.date, table.close, table.volume]
  if (table.openInterest !== null) a.push(table.openInterest)
  return { a: a.map(bytes), b: [table.open, table.high, table.low].map(bytes) }
}

function digest(head: string, views: readonly Uint8Array[]): string {
  const h = new Xxh64()
  h.update(head)
  for (const v of views) h.update(v)
  return h.digest().toString(16).padStart(16, '0')
}

/** What the first half's hash starts with: row count, whether there is open interest, the symbol dictionary. */
function headOf(table: ColumnTable): string {
  return `${table.length}\0${table.openInterest === null ? 0 : 1}\0${table.symbols.join('\0')}\0`
}

/**
 * XXH64 of a table's contents, as 32 hex digits: the row count, symbol dictionary, symbol codes, dates, closes,
 * volumes and open interest, then the opens, highs and lows (each half 16 digits). Computed on the calling thread.
 * @param table - The table.
 */
export function columnChecksum(table: ColumnTable): string {
  const { a, b } = halves(table)
  return digest(headOf(table), a) + digest('', b)
}

// The helper thread: plain JavaScript (no loader), handed the binding's resolved path.
const HELPER = `
const { parentPort, workerData } = require('node:worker_threads')
const { Xxh64 } = require(workerData.xxhash)
parentPort.on('message', (views) => {
  const h = new Xxh64()
  for (const v of views) h.update(v)
  parentPort.postMessage(h.digest().toString(16).padStart(16, '0'))
})
`

let helper: { worker: Worker; online: boolean } | null = null

/**
 * Starts the helper thread that hashes half of a shared table (idempotent; the thread does not keep the process
 * alive). Call it before timed work: its start-up (~20 ms) is then not on the path of the first check.
 */
export function startColumnChecksumHelper(): void {
  if (helper !== null) return
  const xxhash = createRequire(import.meta.url).resolve('@node-rs/xxhash')
  const worker = new Worker(HELPER, { eval: true, workerData: { xxhash } })
  worker.unref()
  const started = { worker, online: false }
  worker.once('online', () => (started.online = true))
  worker.once('error', () => {
    if (helper === started) helper = null
  })
  helper = started
}

// By tag, not `instanceof`: a buffer from WebAssembly memory or another realm is shared without being an instance of
// this realm's SharedArrayBuffer.
function isShared(table: ColumnTable): boolean {
  return [table.open, table.high, table.low].every(
    (c) => Object.prototype.toString.call(c.buffer) === '[object SharedArrayBuffer]',
  )
}

/**
 * {@link columnChecksum}, with the second half hashed on the helper thread when it is running and the table lives in
 * shared memory (the same digits either way).
 * @param table - The table.
 */
export async function columnChecksumParallel(table: ColumnTable): Promise<string> {
  const h = helper
  if (h === null || !h.online || !isShared(table)) return columnChecksum(table)
  const { a, b } = halves(table)
  let done: (value: string | null) => void = () => {}
  const other = new Promise<string | null>((resolve) => (done = resolve))
  const onMessage = (digits: string): void => done(digits)
  const onError = (): void => done(null)
  h.worker.on('message', onMessage).on('error', onError).ref()
  h.worker.postMessage(b)
  const first = digest(headOf(table), a)
  try {
    return first + ((await other) ?? digest('', b))
  } finally {
    h.worker.off('message', onMessage).off('error', onError).unref()
  }
}
