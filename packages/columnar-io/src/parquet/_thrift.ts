// Thrift compact protocol, write side: just what Parquet page headers and file metadata need.

/** Compact-protocol field types. */
export const T = {
  TRUE: 1,
  FALSE: 2,
  I32: 5,
  I64: 6,
  BINARY: 8,
  LIST: 9,
  STRUCT: 12,
} as const

const utf8 = new TextEncoder()

/** Appends compact-protocol values to a growable byte buffer. */
export class ThriftWriter {
  private buf = new Uint8Array(256)
  private len = 0
  private last = 0
  private stack: number[] = []

  private byte(v: number): void {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.len++] = v
  }

  private varint(v: number): void {
    // v is a non-negative integer below 2^53.
    while (v >= 128) {
      this.byte((v % 128) | 128)
      v = Math.floor(v / 128)
    }
    this.byte(v)
  }

  private zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1)
  }

  /** Writes a field header. */
  field(id: number, type: number): void {
    const delta = id - this.last
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type)
    else {
      this.byte(type)
      this.zigzag(id)
    }
    this.last = id
  }

  i32(id: number, v: number): void {
    this.field(id, T.I32)
    this.zigzag(v)
  }

  i64(id: number, v: number): void {
    this.field(id, T.I64)
    this.zigzag(v)
  }

  bool(id: number, v: boolean): void {
    this.field(id, v ? T.TRUE : T.FALSE)
  }

  binary(id: number, v: string | Uint8Array): void {
    this.field(id, T.BINARY)
    this.rawBinary(v)
  }

  /** A binary value without a field header (a list element). */
  rawBinary(v: string | Uint8Array): void {
    const bytes = typeof v === 'string' ? utf8.encode(v) : v
    this.varint(bytes.length)
    for (const b of bytes) this.byte(b)
  }

  /** A list field header; the caller writes `n` elements of `elemType` next. */
  list(id: number, elemType: number, n: number): void {
    this.field(id, T.LIST)
    if (n < 15) this.byte((n << 4) | elemType)
    else {
      this.byte(0xf0 | elemType)
      this.varint(n)
    }
  }

  /** An i32 list element. */
  rawI32(v: number): void {
    this.zigzag(v)
  }

  /** Opens a struct field (`id` > 0) or a struct list element (`id` 0). */
  begin(id = 0): void {
    if (id > 0) this.field(id, T.STRUCT)
    this.stack.push(this.last)
    this.last = 0
  }

  /** Closes the innermost struct. */
  end(): void {
    this.byte(0)
    this.last = this.stack.pop() ?? 0
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len)
  }
}
