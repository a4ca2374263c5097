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
  const shift = outStart - start
  if (!(window >= 1) || !Number.isInteger(window)) {
    meanOut.fill(NaN, outStart, outStart + Math.max(0, end - start))
    sdOut.fill(NaN, outStart, outStart + Math.max(0, end - start))
    return NaN
  }
  const inv = 1 / window
  const invM1 = 1 / (window - 1)
  const refresh = refreshInterval(window)
  let valid = 0
  let mean = 0
  let m2 = 0
  let lastSd = NaN
  let slid = 0
  for (let i = start; i < end; i++) {
    const v = x[i]!
    let outMean = NaN
    if (v !== v) {
      valid = 0
      mean = 0
      m2 = 0
      lastSd = NaN
    } else if (valid < window) {
      valid++
      const d = v - mean
      mean += d / valid
      m2 += d * (v - mean)
      if (valid === window) {
        outMean = mean
        lastSd = Math.sqrt(m2 * invM1)
      } else lastSd = NaN
    } else if (slid + 1 < refresh && window > SMALL_WINDOW) {
      // Steady state: a tight loop until a NaN or the next exact recomputation.
      const stop = Math.min(end, i + refresh - 1 - slid)
      let j = i
      for (; j < stop; j++) {
        const u = x[j]!
        if (u !== u) break
        const old = x[j - window]!
        const d = u - old
        const prevMean = mean
        mean += d * inv
        m2 += d * (u - mean + old - prevMean)
        if (m2 < 0) m2 = 0
        meanOut[j + shift] = mean
        sdOut[j + shift] = Math.sqrt(m2 * invM1)
      }
      slid += j - i
      lastSd = sdOut[j - 1 + shift]!
      i = j - 1
      continue
    } else {
      // Recompute the window by two passes now and then: the sliding update carries rounding from values long gone,
      // which matters once prices have moved far from where they were. Small windows are always recomputed: their
      // spread can be tiny next to the price, where the sliding update cancels badly.
      slid = 0
      let sum = 0
      for (let j = i - window + 1; j <= i; j++) sum += x[j]!
      mean = sum * inv
      m2 = 0
      for (let j = i - window + 1; j <= i; j++) m2 += (x[j]! - mean) * (x[j]! - mean)
      outMean = mean
      lastSd = Math.sqrt(m2 * invM1)
    }
    meanOut[i + shift] = outMean
    sdOut[i + shift] = lastSd
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
