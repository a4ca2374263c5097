/**
 * Exact quantiles of the non-NaN values in `x[start, end)` by selection, without sorting. Each quantile interpolates
 * linearly between the closest ranks, exactly as DuckDB's `quantile_cont`: with the m values in order v[0..m-1],
 * pos = p(m-1), lo = floor(pos), d = pos - lo, the quantile is v[lo](1 - d) + v[lo+1] d (that form, not
 * v[lo] + d(v[lo+1] - v[lo]), is what DuckDB computes, so results are bit-identical).
 * `x` is not modified: values are copied to `scratch` (grown when too small). A probability outside [0, 1],
 * and any quantile of no values, give NaN.
 * @param x - values; NaN entries are skipped
 * @param probabilities - in [0, 1], any order
 * @param start - first index (inclusive) @default 0
 * @param end - last index (exclusive) @default x.length
 * @param scratch - reused working buffer; pass one of at least `end - start` to avoid an allocation
 * @returns one quantile per probability, in the order given
 * @example quantiles(Float64Array.of(4, 1, 3, 2), [0.5]) // [2.5]
 */
export function quantiles(
  x: Float64Array,
  probabilities: readonly number[],
  start = 0,
  end: number = x.length,
  scratch?: Float64Array,
): number[] {
  const buf =
    scratch !== undefined && scratch.length >= end - start ? scratch : new Float64Array(Math.max(0, end - start))
  let m = 0
  for (let i = start; i < end; i++) {
    const v = x[i]!
    if (v === v) buf[m++] = v
  }
  return quantilesInPlace(buf, m, probabilities)
}

/**
 * Like {@link quantiles} over `buf[0, m)`, which it may reorder; `buf` must hold no NaN.
 * @param buf - values, reordered by the selection
 * @param m - how many leading values of `buf` to use
 * @param probabilities - in [0, 1], any order
 */
export function quantilesInPlace(buf: Float64Array, m: number, probabilities: readonly number[]): number[] {
  const valid = probabilities.filter((p) => p >= 0 && p <= 1).sort((a, b) => a - b)
  const res = new Float64Array(valid.length)
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < m; i++) {
    const v = buf[i]!
    if (v < min) min = v
    if (v > max) max = v
  }
  selectQuantiles(buf, m, min, max, valid, res)
  return probabilities.map((p) => (p >= 0 && p <= 1 ? res[valid.indexOf(p)]! : NaN))
}

// Working memory shared by every call in this thread, grown on demand.
let histogram = new Int32Array(0)
let slotOf = new Int32Array(0)
let gathered = new Float64Array(0)
const BUCKETS = 1024
const SMALL = 48

/**
 * Quantiles of `buf[0, m)` (no NaN; `min`/`max` its extremes) for ascending probabilities in [0, 1], into `res`.
 * Distribution selection: one pass histograms the values into equal-width buckets over [min, max]; each wanted rank
 * is located in its bucket by the running counts; a second pass gathers only those buckets, and quickselect finds the
 * rank inside them. The result is the exact order statistic, whatever the bucketing.
 * @param buf - values without NaN (reordered only for small m)
 * @param m - how many values
 * @param min - smallest value
 * @param max - largest value
 * @param probabilities - ascending, each in [0, 1]
 * @param res - receives one quantile per probability
 */
// A hot loop, long on purpose: the histogram, rank location, gather and quickselect share their buffers and counters
// in locals; split into functions, they would pass them through memory on every value.
// eslint-disable-next-line max-lines-per-function -- a hot loop (see above)
export function selectQuantiles(
  buf: Float64Array,
  m: number,
  min: number,
  max: number,
  probabilities: readonly number[],
  res: Float64Array,
): void {
  const k = probabilities.length
  if (m === 0) {
    res.fill(NaN, 0, k)
    return
  }
  if (max === min) {
    res.fill(min, 0, k)
    return
  }
  const range = max - min
  const buckets = Math.min(BUCKETS, Math.max(16, m >> 2))
  const scale = buckets / range
  if (m <= SMALL || !Number.isFinite(scale) || !Number.isFinite(range)) {
    insertionSort(buf, 0, m - 1)
    for (let j = 0; j < k; j++) res[j] = interpolate(buf, 0, m, probabilities[j]!)
    return
  }
  if (histogram.length < buckets + 1) {
    histogram = new Int32Array(BUCKETS + 1)
    slotOf = new Int32Array(BUCKETS + 1).fill(-1)
  }
  // Three more than m: the dump slot of the last loop below.
  if (gathered.length < m + 3) gathered = new Float64Array(Math.max(m + 3, gathered.length * 2))
  const hist = histogram
  hist.fill(0, 0, buckets + 1)
  // Four values per step, loads first: V8 reloads a typed array's bounds after every store, so grouping them pays.
  let i = 0
  for (; i + 3 < m; i += 4) {
    const k0 = ((buf[i]! - min) * scale) | 0
    const k1 = ((buf[i + 1]! - min) * scale) | 0
    const k2 = ((buf[i + 2]! - min) * scale) | 0
    const k3 = ((buf[i + 3]! - min) * scale) | 0
    hist[k0]!++
    hist[k1]!++
    hist[k2]!++
    hist[k3]!++
  }
  for (; i < m; i++) hist[((buf[i]! - min) * scale) | 0]!++

  // Each probability needs ranks lo and lo + 1; find their buckets with one walk over the running counts.
  const rankBucket = ranksToBuckets(hist, buckets, m, probabilities)
  // Give each distinct wanted bucket a slot in `gathered`, sized by its count.
  let slots = 0
  let offset = 0
  if (slotStartScratch.length < 2 * k + 1) {
    slotStartScratch = new Int32Array(2 * k + 1)
    slotFill = new Int32Array(2 * k + 1)
  }
  const slotStart = slotStartScratch
  for (let r = 0; r < rankBucket.length; r += 2) {
    const b = rankBucket[r]!
    if (slotOf[b]! < 0) {
      slotOf[b] = slots
      slotStart[slots] = offset
      slotFill[slots] = offset
      offset += hist[b]!
      slots++
    }
  }
  const g = gathered
  const so = slotOf
  for (i = 0; i + 3 < m; i += 4) {
    const v0 = buf[i]!
    const v1 = buf[i + 1]!
    const v2 = buf[i + 2]!
    const v3 = buf[i + 3]!
    const s0 = so[((v0 - min) * scale) | 0]!
    const s1 = so[((v1 - min) * scale) | 0]!
    const s2 = so[((v2 - min) * scale) | 0]!
    const s3 = so[((v3 - min) * scale) | 0]!
    // Most values fall outside the wanted buckets (slot -1): one test for the four (the AND of -1s is negative).
    if ((s0 & s1 & s2 & s3) >= 0) {
      if (s0 >= 0) g[slotFill[s0]!++] = v0
      if (s1 >= 0) g[slotFill[s1]!++] = v1
      if (s2 >= 0) g[slotFill[s2]!++] = v2
      if (s3 >= 0) g[slotFill[s3]!++] = v3
    }
  }
  // The last m % 4 values store unconditionally, those outside the wanted buckets into a dump slot past the wanted
  // ones (at most 3 values, never read). A conditional store here ran for about one symbol in twenty, so V8 could
  // compile this function before it had ever run; reaching it then deoptimised the compiled code. When that code was
  // the on-stack-replacement code compiled during an early call, V8 kept entering it from the baseline code on every
  // later call and deoptimising it again: about 1.5x slower for the whole process.
  const dump = slots
  slotFill[dump] = offset
  for (; i < m; i++) {
    const v = buf[i]!
    const s = so[((v - min) * scale) | 0]!
    g[slotFill[s < 0 ? dump : s]!++] = v
  }
  for (let j = 0; j < k; j++) {
    const p = probabilities[j]!
    const pos = p * (m - 1)
    const lo = Math.floor(pos)
    const a = rankValue(g, rankBucket, 4 * j, slotStart, hist)
    if (pos === lo) res[j] = a
    else {
      const d = pos - lo
      res[j] = a * (1 - d) + rankValue(g, rankBucket, 4 * j + 2, slotStart, hist) * d
    }
  }
  for (let r = 0; r < rankBucket.length; r += 2) slotOf[rankBucket[r]!] = -1
}

let slotStartScratch = new Int32Array(64)
let slotFill = new Int32Array(64)
let rankScratch = new Int32Array(0)

// For probability j, entries 4j..4j+3 hold (bucket of rank lo, rank of lo within that bucket, same for lo + 1).
function ranksToBuckets(hist: Int32Array, buckets: number, m: number, probabilities: readonly number[]): Int32Array {
  const k = probabilities.length
  if (rankScratch.length !== 4 * k) rankScratch = new Int32Array(4 * k)
  const out = rankScratch
  let b = 0
  let below = 0
  for (let j = 0; j < k; j++) {
    const lo = Math.floor(probabilities[j]! * (m - 1))
    for (let h = 0; h < 2; h++) {
      const rank = Math.min(lo + h, m - 1)
      while (below + hist[b]! <= rank) {
        below += hist[b]!
        b++
      }
      out[4 * j + 2 * h] = b
      out[4 * j + 2 * h + 1] = rank - below
    }
  }
  return out
}

function rankValue(
  g: Float64Array,
  rankBucket: Int32Array,
  at: number,
  slotStart: Int32Array,
  hist: Int32Array,
): number {
  const b = rankBucket[at]!
  const start = slotStart[slotOf[b]!]!
  const count = hist[b]!
  const k = start + rankBucket[at + 1]!
  select(g, start, start + count - 1, k)
  return g[k]!
}

function interpolate(sorted: Float64Array, start: number, m: number, p: number): number {
  const pos = p * (m - 1)
  const lo = Math.floor(pos)
  const a = sorted[start + lo]!
  const d = pos - lo
  return d === 0 ? a : a * (1 - d) + sorted[start + lo + 1]! * d
}

// Hoare quickselect with median-of-three pivots: afterwards a[k] holds rank k of a[left..right]. Ranges of up to
// SORT_MAX values are insertion-sorted instead: a wanted bucket rarely holds more (about 4 values a bucket on
// average), so V8 optimises selectQuantiles, which inlines this, before the loop below has run; reaching it then
// deoptimised selectQuantiles for want of type feedback, and its second compilation (~30 ms on a background thread)
// kept a fresh process's analysis in slower code meanwhile. At 17 values, one such deoptimisation in every
// `ttapi run --cached` of the quick market; at 64, none.
const SORT_MAX = 128

function select(a: Float64Array, left: number, right: number, k: number): void {
  while (right - left >= SORT_MAX) {
    const mid = (left + right) >>> 1
    // Median of three, ordered in locals and stored back: the same as swapping in place, with no call in a branch
    // (a call that had not run before V8 optimised the caller deoptimises it when first reached).
    let lo = a[left]!
    let md = a[mid]!
    let hi = a[right]!
    if (md < lo) {
      const t = lo
      lo = md
      md = t
    }
    if (hi < lo) {
      const t = lo
      lo = hi
      hi = t
    }
    if (hi < md) {
      const t = md
      md = hi
      hi = t
    }
    a[left] = lo
    a[mid] = md
    a[right] = hi
    const pivot = md
    let i = left
    let j = right
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return
  }
  insertionSort(a, left, right)
}

function insertionSort(a: Float64Array, left: number, right: number): void {
  for (let i = left + 1; i <= right; i++) {
    const v = a[i]!
    let j = i - 1
    while (j >= left && a[j]! > v) {
      a[j + 1] = a[j]!
      j--
    }
    a[j + 1] = v
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}
