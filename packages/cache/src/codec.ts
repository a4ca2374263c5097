import { deserialize, serialize } from 'node:v8'
// The subpaths, not 'msgpackr': under Node its main entry loads msgpackr-extract, a native string extractor found through
// node-gyp-build and detect-libc (an ELF read), 15-20 ms at every CLI start; this cache's entries are small numeric
// records it would not speed up.
// Their declaration files re-export from '.', which TypeScript does not resolve under NodeNext: the types come from
// the main entry.
import type * as Msgpackr from 'msgpackr'
import * as msgpackrPack from 'msgpackr/pack'
import * as msgpackrUnpack from 'msgpackr/unpack'

const { Packr } = msgpackrPack as unknown as Pick<typeof Msgpackr, 'Packr'>
const { Unpackr } = msgpackrUnpack as unknown as Pick<typeof Msgpackr, 'Unpackr'>
import type { CodecName } from './types.ts'

/** Codec ids as stored in the entry header (one byte). */
export const CODEC_IDS: Readonly<Record<CodecName, number>> = { msgpack: 1, columnar: 2, v8: 3, json: 4 }

/** A serialised value: chunks written back to back (typed-array columns are written without copying). */
export interface EncodedValue {
  /** Codec id stored in the header. */
  codec: number
  /** The payload, in order. */
  chunks: Uint8Array[]
  /** Total bytes of `chunks`. */
  length: number
}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

type TypedArrayConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArray

// Order is the on-disk type code: append only.
const TYPED: readonly TypedArrayConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
]

// The placeholder key that marks a typed-array column in the columnar skeleton.
const COLUMN_KEY = '__ttcol'

// moreTypes: typed arrays survive the msgpack codec too (as copies) when it is forced.
const packr = new Packr({ moreTypes: true })
const unpackr = new Unpackr({ moreTypes: true })

const ZERO_PAD = new Uint8Array(8)

/** True when `value` holds a typed array anywhere inside plain objects and arrays. */
export function hasTypedArrays(value: unknown): boolean {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView)
  if (Array.isArray(value)) {
    // Arrays of scalars (a symbol list) are the common case: bail out on the first primitive quickly.
    for (const item of value) if (typeof item === 'object' && item !== null && hasTypedArrays(item)) return true
    return false
  }
  if (isPlainObject(value)) {
    for (const key in value) {
      const item = value[key]
      if (typeof item === 'object' && item !== null && hasTypedArrays(item)) return true
    }
  }
  return false
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** Picks the codec for a value: columnar when it holds typed arrays, msgpack otherwise (see README: measured). */
export function pickCodec(value: unknown): CodecName {
  return hasTypedArrays(value) ? 'columnar' : 'msgpack'
}

/** Serialises `value` with the named codec. Throws what the serialiser throws. */
export function encodeValue(value: unknown, codec: CodecName = pickCodec(value)): EncodedValue {
  switch (codec) {
    case 'msgpack': {
      const bytes = packr.pack(value)
      return { codec: CODEC_IDS.msgpack, chunks: [bytes], length: bytes.length }
    }
    case 'v8': {
      const bytes = serialize(value)
      return { codec: CODEC_IDS.v8, chunks: [bytes], length: bytes.length }
    }
    case 'json': {
      const bytes = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8')
      return { codec: CODEC_IDS.json, chunks: [bytes], length: bytes.length }
    }
    case 'columnar':
      return encodeColumnar(value)
  }
}

/**
 * Deserialises a payload. For the columnar codec, typed-array columns are views into `payload`'s buffer
 * when aligned (no copy), so `payload` must not be reused by the caller.
 */
export function decodeValue(codec: number, payload: Uint8Array): unknown {
  switch (codec) {
    case CODEC_IDS.msgpack:
      return unpackr.unpack(payload)
    case CODEC_IDS.v8:
      return deserialize(payload)
    case CODEC_IDS.json:
      return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'))
    case CODEC_IDS.columnar:
      return decodeColumnar(payload)
    default:
      throw new Error(`unknown codec id ${codec}`)
  }
}

// Columnar layout: u32 skeleton length | skeleton (msgpack of [value with {__ttcol: i} placeholders,
// [[typeCode, elementCount], ...]]) | zero padding to 8 | each column's raw little-endian bytes, each
// padded to 8. Offsets are relative to the payload start, which the entry file keeps 8-aligned.
function encodeColumnar(value: unknown): EncodedValue {
  const columns: TypedArray[] = []
  let reserved = false
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      columns.push(v as TypedArray)
      return { [COLUMN_KEY]: columns.length - 1 }
    }
    if (Array.isArray(v)) return v.map(walk)
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {}
      for (const key in v) {
        if (key === COLUMN_KEY) reserved = true
        out[key] = walk(v[key])
      }
      return out
    }
    return v
  }
  const skeletonValue = walk(value)
  // A user object that itself has the placeholder key cannot round-trip through the skeleton.
  if (reserved) return encodeValue(value, 'msgpack')
  const descriptors = columns.map((c) => [TYPED.indexOf(c.constructor as TypedArrayConstructor), c.length])
  const skeleton = packr.pack([skeletonValue, descriptors])
  const head = new Uint8Array(4)
  new DataView(head.buffer).setUint32(0, skeleton.length, true)
  const chunks: Uint8Array[] = [head, skeleton]
  let length = 4 + skeleton.length
  const pushPad = (): void => {
    const pad = (8 - (length % 8)) % 8
    if (pad > 0) {
      chunks.push(ZERO_PAD.subarray(0, pad))
      length += pad
    }
  }
  pushPad()
  for (const column of columns) {
    chunks.push(new Uint8Array(column.buffer, column.byteOffset, column.byteLength))
    length += column.byteLength
    pushPad()
  }
  return { codec: CODEC_IDS.columnar, chunks, length }
}

function decodeColumnar(payload: Uint8Array): unknown {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  const skeletonLength = view.getUint32(0, true)
  if (4 + skeletonLength > payload.length) throw new Error('columnar skeleton overruns the payload')
  const [skeletonValue, descriptors] = unpackr.unpack(payload.subarray(4, 4 + skeletonLength)) as [
    unknown,
    [number, number][],
  ]
  let offset = align8(4 + skeletonLength)
  const columns: TypedArray[] = []
  for (const [typeCode, count] of descriptors) {
    const Ctor = TYPED[typeCode]
    if (Ctor === undefined) throw new Error(`unknown column type code ${typeCode}`)
    const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
    const byteLength = count * size
    if (offset + byteLength > payload.length) throw new Error('columnar column overruns the payload')
    const at = payload.byteOffset + offset
    columns.push(
      at % size === 0
        ? new Ctor(payload.buffer, at, count)
        : new Ctor(payload.slice(offset, offset + byteLength).buffer, 0, count),
    )
    offset = align8(offset + byteLength)
  }
  const restore = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i])
      return v
    }
    const record = v as Record<string, unknown>
    const index = record[COLUMN_KEY]
    if (typeof index === 'number') {
      const column = columns[index]
      if (column === undefined) throw new Error(`columnar placeholder ${index} has no column`)
      return column
    }
    for (const key in record) record[key] = restore(record[key])
    return record
  }
  return restore(skeletonValue)
}

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8)
}
