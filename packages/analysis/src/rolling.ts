/**
 * Rolling mean over the last `window` rows, in O(n): `out[outStart + (i - start)]` is the mean of `x[i-window+1 .. i]`.
 * The first `window - 1` rows, and any window holding a NaN, give NaN (a full window is required, as pandas'
 * `rolling(window).mean()` with the default `min_periods`). Windows count rows, not calendar days.
 * @param x - values of one symbol
 * @param window - rows per window, an integer from 1 up (anything else fills NaN)
 * @param out - receives `end - start` values
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default x.length
 * @param outStart - index in `out` of the first value @default start
 * @returns the last value written (NaN when none)
 */
export function rollingMean(
  x: Float64Array,
  window: number,
  out: Float64Array,
  start = 0,
  end: number = x.length,
  outStart: number = start,
): number {
  const shift = outStart - start
  if (!(window >= 1) || !Number.isInteger(window)) {
    out.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  const inv = 1 / window
  const refresh = refreshInterval(window)
  let valid = 0
  let sum = 0
  let last = NaN
  let slid = 0
  for (let i = start; i < end; i++) {
    const v = x[i]!
    if (v !== v) {
      valid = 0
      sum = 0
      last = NaN
    } else if (valid < window) {
      sum += v
      valid++
      last = valid === window ? sum * inv : NaN
    } else if (++slid < refresh) {
      sum += v - x[i - window]!
      last = sum * inv
    } else {
      // Re-sum the window now and then, so rounding from long-gone values cannot pile up.
      slid = 0
      sum = 0
      for (let j = i - window + 1; j <= i; j++) sum += x[j]!
      last = sum * inv
    }
    out[i + shift] = last
  }
  return last
}

/**
 * Rolling mean and sample standard deviation over the last `window` rows in O(n) (Welford's update, with the
 * sliding form `M2 += (x - x_old)(x - mean' + x_old - mean)` once the window is full). NaN rules as {@link rollingMean};
 * a window of 1 has an undefined sample deviation (NaN).
 * @param x - values of one symbol
 * @param window - rows per window, an integer from 1 up (anything else fills NaN)
 * @param meanOut - receives the rolling means
 * @param sdOut - receives the rolling sample standard deviations
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default x.length
 * @param outStart - index in the outputs of the first value @default start
 * @returns the last standard deviation written (NaN when none)
 */
export function rollingMeanSd(
  x: Float64Array,
  window: number,
  meanOut: Float64Array,
  sdOut: Float64Array,
  start = 0,
  end: number = x.length,
  outStart: number = start,
): number {
  if (!(window >= 1) || !Number.isInteger(window)) {
    meanOut.fill(NaN, outStart, outStart + Math.max(0, end - start))
    sdOut.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  if (outStart === start) return slideMeanSd(x, window, meanOut, sdOut, start, end)
  // Views put input and outputs on one index, so the hot loop carries no offset.
  const n = Math.max(0, end - start)
  return slideMeanSd(
    x.subarray(start, start + n),
    window,
    meanOut.subarray(outStart, outStart + n),
    sdOut.subarray(outStart, outStart + n),
    0,
    n,
  )
}

// rollingMeanSd with input and outputs on the same index. Each NaN-free run is: NaN until its first full window,
// then blocks that start with an exact recomputation of the window and slide for up to `refresh - 1` rows.
// A hot loop, long on purpose: the running sums stay in registers across the recompute and slide phases.
// eslint-disable-next-line max-lines-per-function -- a hot loop (see above)
function slideMeanSd(x: Float64Array, w: number, m: Float64Array, s: Float64Array, start: number, end: number): number {
  const inv = 1 / w
  const invM1 = 1 / (w - 1)
  // Small windows are recomputed at every row: their spread can be tiny next to the price, where sliding cancels badly.
  const refresh = w > SMALL_WINDOW ? refreshInterval(w) : 1
  let lastSd = NaN
  let i = start
  while (i < end) {
    let run = 0
    while (i < end) {
      const v = x[i]!
      run = v === v ? run + 1 : 0
      if (run >= w) break
      m[i] = NaN
      s[i] = NaN
      i++
    }
    lastSd = NaN
    while (i < end) {
      // Exact recomputation of the window ending at i, in one pass of sums shifted by its first value (the
      // differences are small and exact, so no cancellation); the sliding update carries rounding from values long
      // gone, which matters once prices have moved far from where they were.
      const k = x[i - w + 1]!
      let s1 = 0
      let s2 = 0
      for (let j = i - w + 2; j <= i; j++) {
        const d = x[j]! - k
        s1 += d
        s2 += d * d
      }
      let mean = k + s1 * inv
      let m2 = s2 - s1 * s1 * inv
      if (m2 < 0) m2 = 0
      m[i] = mean
      s[i] = Math.sqrt(m2 * invM1)
      i++
      const stop = Math.min(end, i + refresh - 1)
      // Four rows per step, loads first and stores last: V8 re-checks a typed array's map, length and data pointer
      // after every store to another array, so grouping the accesses roughly halves that overhead.
      for (; i + 3 < stop; i += 4) {
        const u0 = x[i]!
        const u1 = x[i + 1]!
        const u2 = x[i + 2]!
        const u3 = x[i + 3]!
        const o0 = x[i - w]!
        const o1 = x[i + 1 - w]!
        const o2 = x[i + 2 - w]!
        const o3 = x[i + 3 - w]!
        const any = u0 + u1 + u2 + u3
        // A NaN (or infinities of both signs) among the four: the row-by-row loop below takes over.
        if (any !== any) break
        let d = u0 - o0
        let prev = mean
        mean += d * inv
        m2 += d * (u0 - mean + o0 - prev)
        if (m2 < 0) m2 = 0
        const mean0 = mean
        const m20 = m2
        d = u1 - o1
        prev = mean
        mean += d * inv
        m2 += d * (u1 - mean + o1 - prev)
        if (m2 < 0) m2 = 0
        const mean1 = mean
        const m21 = m2
        d = u2 - o2
        prev = mean
        mean += d * inv
        m2 += d * (u2 - mean + o2 - prev)
        if (m2 < 0) m2 = 0
        const mean2 = mean
        const m22 = m2
        d = u3 - o3
        prev = mean
        mean += d * inv
        m2 += d * (u3 - mean + o3 - prev)
        if (m2 < 0) m2 = 0
        m[i] = mean0
        m[i + 1] = mean1
        m[i + 2] = mean2
        m[i + 3] = mean
        s[i] = Math.sqrt(m20 * invM1)
        s[i + 1] = Math.sqrt(m21 * invM1)
        s[i + 2] = Math.sqrt(m22 * invM1)
        s[i + 3] = Math.sqrt(m2 * invM1)
      }
      for (; i < stop; i++) {
        const u = x[i]!
        if (u !== u) break
        const old = x[i - w]!
        const d = u - old
        const prev = mean
        mean += d * inv
        m2 += d * (u - mean + old - prev)
        if (m2 < 0) m2 = 0
        m[i] = mean
        s[i] = Math.sqrt(m2 * invM1)
      }
      lastSd = Math.sqrt(m2 * invM1)
      // A NaN ends the run; the next run starts with its warm-up.
      if (i < end && x[i]! !== x[i]!) break
    }
  }
  return lastSd
}

/**
 * Rolling sample standard deviation over the last `window` rows; see {@link rollingMeanSd}.
 * @param x - values of one symbol
 * @param window - rows per window, an integer from 1 up
 * @param out - receives the rolling standard deviations
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default x.length
 * @param outStart - index in `out` of the first value @default start
 * @param meanScratch - receives the rolling means (allocated when omitted)
 * @returns the last value written (NaN when none)
 */
export function rollingSd(
  x: Float64Array,
  window: number,
  out: Float64Array,
  start = 0,
  end: number = x.length,
  outStart: number = start,
  meanScratch?: Float64Array,
): number {
  const means = meanScratch ?? new Float64Array(out.length)
  return rollingMeanSd(x, window, means, out, start, end, outStart)
}

/**
 * Rolling annualised volatility: the sample standard deviation of the last `window` simple daily returns, times
 * sqrt(periodsPerYear). Row i uses the returns ending at rows i-window+1 .. i, so the first `window` rows of a
 * symbol (which has no return on its first row) and any window touching a NaN price give NaN.
 * @param close - prices of one symbol
 * @param window - returns per window, an integer from 2 up (anything else fills NaN)
 * @param out - receives `end - start` values
 * @param start - first row (inclusive) @default 0
 * @param end - last row (exclusive) @default close.length
 * @param outStart - index in `out` of the first value @default start
 * @param periodsPerYear - trading periods per year @default 252
 * @returns the last value written (NaN when none)
 */
export function rollingVolatility(
  close: Float64Array,
  window: number,
  out: Float64Array,
  start = 0,
  end: number = close.length,
  outStart: number = start,
  periodsPerYear = 252,
): number {
  const shift = outStart - start
  if (!(window >= 2) || !Number.isInteger(window) || end <= start) {
    out.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  const inv = 1 / window
  const scale = Math.sqrt(periodsPerYear / (window - 1))
  let valid = 0
  let mean = 0
  let m2 = 0
  let last = NaN
  out[outStart] = NaN
  for (let i = start + 1; i < end; i++) {
    const r = close[i]! / close[i - 1]! - 1
    if (r !== r) {
      valid = 0
      mean = 0
      m2 = 0
      last = NaN
    } else if (valid < window) {
      valid++
      const d = r - mean
      mean += d / valid
      m2 += d * (r - mean)
      last = valid === window ? Math.sqrt(m2) * scale : NaN
    } else {
      const old = close[i - window]! / close[i - window - 1]! - 1
      const d = r - old
      const prevMean = mean
      mean += d * inv
      m2 += d * (r - mean + old - prevMean)
      if (m2 < 0) m2 = 0
      last = Math.sqrt(m2) * scale
    }
    out[i + shift] = last
  }
  return last
}

// Windows up to this size are recomputed at every row (cheap, and exact where the spread is tiny).
const SMALL_WINDOW = 8

// Rows between exact recomputations of a sliding window: rare enough to cost little, often enough to bound drift.
function refreshInterval(window: number): number {
  return Math.max(256, 8 * window)
}
