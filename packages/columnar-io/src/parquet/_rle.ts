// Parquet's RLE / bit-packed hybrid encoding, used here for dictionary codes (the symbol column). Sorted tables give
// long runs, so both directions spend almost all their time in RLE runs.

/** Bits needed for codes `0..n-1` (at least 1). */
export function bitWidth(n: number): number {
  let w = 1
  while (w < 32 && 2 ** w < n) w++
  return w
}

/** Encodes `codes[start, end)` with bit width `w`; no length prefix (as in dictionary-encoded data pages). */
export function encodeHybrid(codes: Int32Array, start: number, end: number, w: number): Uint8Array {
  let out = new Uint8Array(1024)
  let len = 0
  const byteWidth = (w + 7) >> 3
  const push = (v: number): void => {
    if (len === out.length) {
      const next = new Uint8Array(out.length * 2)
      next.set(out)
      out = next
    }
    out[len++] = v
  }
  const varint = (v: number): void => {
    while (v >= 128) {
      push((v % 128) | 128)
      v = Math.floor(v / 128)
    }
    push(v)
  }
  let litStart = start
  let litCount = 0
  const flushLiterals = (): void => {
    if (litCount === 0) return
    const groups = Math.ceil(litCount / 8)
    varint(groups * 2 + 1)
    let acc = 0
    let bits = 0
    for (let k = 0; k < groups * 8; k++) {
      const v = k < litCount ? codes[litStart + k]! : 0
      // Values are < 2^w <= 2^31; feed them a byte at a time so `acc` stays small.
      let rem = w
      let val = v
      while (rem > 0) {
        const take = Math.min(rem, 8 - bits)
        acc |= (val & ((1 << take) - 1)) << bits
        val = take >= 31 ? 0 : val >>> take
        bits += take
        rem -= take
        if (bits === 8) {
          push(acc)
          acc = 0
          bits = 0
        }
      }
    }
    litCount = 0
  }
  let i = start
  while (i < end) {
    const v = codes[i]!
    let j = i + 1
    while (j < end && codes[j] === v) j++
    let run = j - i
    if (run >= 8) {
      // Literal groups hold 8 values; top the pending literals up to a whole group from this run.
      const pad = litCount === 0 ? 0 : (8 - (litCount % 8)) % 8
      if (run - pad >= 8) {
        litCount += pad
        i += pad
        run -= pad
        flushLiterals()
        varint(run * 2)
        for (let b = 0; b < byteWidth; b++) push((v >>> (8 * b)) & 0xff)
        i += run
        litStart = i
        continue
      }
    }
    if (litCount === 0) litStart = i
    litCount += run
    i = j
  }
  flushLiterals()
  return out.subarray(0, len)
}

/**
 * Decodes `count` codes of width `w` from `b[pos, end)` into `out[at..]`, mapping each through `map`.
 * Returns the offset after the last byte read; throws on truncated or out-of-range input.
 */
export function decodeHybrid(
  b: Uint8Array,
  pos: number,
  end: number,
  w: number,
  count: number,
  out: Int32Array,
  at: number,
  map: Int32Array,
): number {
  const byteWidth = (w + 7) >> 3
  let done = 0
  while (done < count) {
    if (pos >= end) throw new Error(`dictionary codes end after ${done} of ${count} values`)
    let header = 0
    let shift = 0
    for (;;) {
      const c = b[pos++]!
      header += (c & 127) * 2 ** shift
      if (c < 128) break
      shift += 7
      if (pos >= end) throw new Error('truncated run header')
    }
    if (header % 2 === 0) {
      const run = Math.min(header / 2, count - done)
      let v = 0
      for (let k = 0; k < byteWidth; k++) v |= b[pos++]! << (8 * k)
      if (v >>> 0 >= map.length) throw new Error(`dictionary code ${v} outside a dictionary of ${map.length}`)
      out.fill(map[v]!, at + done, at + done + run)
      done += run
    } else {
      const n = Math.min(((header - 1) / 2) * 8, count - done)
      const bytes = (((header - 1) / 2) * 8 * w) / 8
      if (pos + Math.ceil((n * w) / 8) > end) throw new Error('truncated bit-packed run')
      let acc = 0
      let bits = 0
      let p = pos
      for (let k = 0; k < n; k++) {
        while (bits < w) {
          acc += b[p++]! * 2 ** bits
          bits += 8
        }
        const v = acc % 2 ** w
        acc = Math.floor(acc / 2 ** w)
        bits -= w
        if (v >= map.length) throw new Error(`dictionary code ${v} outside a dictionary of ${map.length}`)
        out[at + done + k] = map[v]!
      }
      pos += bytes
      done += n
    }
  }
  return pos
}
