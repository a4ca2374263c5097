// Rewrites a Parquet file's footer: a generic Thrift compact-protocol reader and writer (independent of the
// package's own writer), so tests can make files with the footers older or hostile writers produce.
import { readFileSync, writeFileSync } from 'node:fs'

/** A compact-protocol value: bigint for i64, number for other integers, Uint8Array for binary. */
export type TValue = boolean | number | bigint | Uint8Array | TStruct | TList
/** A struct: its fields in file order. */
export interface TStruct {
  kind: 'struct'
  fields: { id: number; type: number; value: TValue }[]
}
/** A list (or set) of elements of one type. */
export interface TList {
  kind: 'list'
  elemType: number
  items: TValue[]
}

/** Thrift compact types. */
export const CT = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  STRUCT: 12,
}

class Reader {
  pos = 0
  readonly b: Uint8Array
  constructor(b: Uint8Array) {
    this.b = b
  }
  varint(): bigint {
    let r = 0n
    let shift = 0n
    for (;;) {
      const x = this.b[this.pos++]!
      r |= BigInt(x & 0x7f) << shift
      if ((x & 0x80) === 0) return r
      shift += 7n
    }
  }
  zigzag(): bigint {
    const v = this.varint()
    return (v >> 1n) ^ -(v & 1n)
  }
  value(type: number): TValue {
    switch (type) {
      case CT.TRUE:
        return true
      case CT.FALSE:
        return false
      case CT.BYTE:
        return this.b[this.pos++]!
      case CT.I16:
      case CT.I32:
        return Number(this.zigzag())
      case CT.I64:
        return this.zigzag()
      case CT.DOUBLE: {
        const v = new DataView(this.b.buffer, this.b.byteOffset + this.pos, 8).getFloat64(0, true)
        this.pos += 8
        return v
      }
      case CT.BINARY: {
        const n = Number(this.varint())
        const v = this.b.slice(this.pos, this.pos + n)
        this.pos += n
        return v
      }
      case CT.LIST:
      case CT.SET: {
        const h = this.b[this.pos++]!
        const n = h >> 4 === 15 ? Number(this.varint()) : h >> 4
        const elemType = h & 15
        const items: TValue[] = []
        // Booleans in a list are one byte each.
        for (let i = 0; i < n; i++)
          items.push(elemType === CT.TRUE || elemType === CT.FALSE ? this.b[this.pos++] === 1 : this.value(elemType))
        return { kind: 'list', elemType, items }
      }
      case CT.STRUCT: {
        const fields: TStruct['fields'] = []
        let last = 0
        for (;;) {
          const h = this.b[this.pos++]!
          if (h === 0) return { kind: 'struct', fields }
          const t = h & 15
          const id = h >> 4 === 0 ? Number(this.zigzag()) : last + (h >> 4)
          last = id
          fields.push({ id, type: t, value: this.value(t) })
        }
      }
      default:
        throw new Error(`thrift: type ${type} not handled`)
    }
  }
}

class Writer {
  out: number[] = []
  varint(v: bigint): void {
    while (v >= 128n) {
      this.out.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    this.out.push(Number(v))
  }
  zigzag(v: bigint): void {
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n)
  }
  value(type: number, v: TValue): void {
    switch (type) {
      case CT.TRUE:
      case CT.FALSE:
        return
      case CT.BYTE:
        this.out.push(v as number)
        return
      case CT.I16:
      case CT.I32:
        return this.zigzag(BigInt(v as number))
      case CT.I64:
        return this.zigzag(BigInt(v as bigint))
      case CT.DOUBLE: {
        const d = new DataView(new ArrayBuffer(8))
        d.setFloat64(0, v as number, true)
        this.out.push(...new Uint8Array(d.buffer))
        return
      }
      case CT.BINARY: {
        const b = v as Uint8Array
        this.varint(BigInt(b.length))
        this.out.push(...b)
        return
      }
      case CT.LIST:
      case CT.SET: {
        const l = v as TList
        if (l.items.length < 15) this.out.push((l.items.length << 4) | l.elemType)
        else {
          this.out.push(0xf0 | l.elemType)
          this.varint(BigInt(l.items.length))
        }
        for (const x of l.items)
          if (l.elemType === CT.TRUE || l.elemType === CT.FALSE) this.out.push(x === true ? 1 : 2)
          else this.value(l.elemType, x)
        return
      }
      case CT.STRUCT: {
        let last = 0
        for (const f of (v as TStruct).fields) {
          const t = f.type === CT.TRUE || f.type === CT.FALSE ? (f.value === true ? CT.TRUE : CT.FALSE) : f.type
          const delta = f.id - last
          if (delta > 0 && delta <= 15) this.out.push((delta << 4) | t)
          else {
            this.out.push(t)
            this.zigzag(BigInt(f.id))
          }
          last = f.id
          this.value(t, f.value)
        }
        this.out.push(0)
        return
      }
    }
  }
}

/** The field `id` of `s` (throws when absent). */
export function field(s: TStruct, id: number): TValue {
  const f = s.fields.find((x) => x.id === id)
  if (f === undefined) throw new Error(`thrift: no field ${id}`)
  return f.value
}

/** Sets (or adds, keeping ids ascending) field `id` of `s`. */
export function setField(s: TStruct, id: number, type: number, value: TValue): void {
  const f = s.fields.find((x) => x.id === id)
  if (f !== undefined) Object.assign(f, { type, value })
  else {
    s.fields.push({ id, type, value })
    s.fields.sort((a, b) => a.id - b.id)
  }
}

/** Each ColumnChunk's ColumnMetaData (field 3) of every row group, with the column's path. */
export function columnMetas(footer: TStruct): { path: string; meta: TStruct }[] {
  const out: { path: string; meta: TStruct }[] = []
  for (const rg of (field(footer, 4) as TList).items as TStruct[])
    for (const cc of (field(rg, 1) as TList).items as TStruct[]) {
      const meta = field(cc, 3) as TStruct
      const path = ((field(meta, 3) as TList).items as Uint8Array[]).map((b) => new TextDecoder().decode(b)).join('.')
      out.push({ path, meta })
    }
  return out
}

/** Reads `src`, lets `edit` change its FileMetaData, and writes the file with the new footer to `dest`. */
export function patchFooter(src: string, dest: string, edit: (footer: TStruct) => void): void {
  const bytes = readFileSync(src)
  const len = bytes.readUInt32LE(bytes.length - 8)
  const start = bytes.length - 8 - len
  const footer = new Reader(bytes.subarray(start, bytes.length - 8)).value(CT.STRUCT) as TStruct
  edit(footer)
  const w = new Writer()
  w.value(CT.STRUCT, footer)
  const meta = Buffer.from(w.out)
  const tail = Buffer.alloc(8)
  tail.writeUInt32LE(meta.length, 0)
  tail.write('PAR1', 4, 'latin1')
  writeFileSync(dest, Buffer.concat([bytes.subarray(0, start), meta, tail]))
}
