import { describe, expect, it } from 'vitest'
import { measureOp } from '../src/measure-case.ts'
import type { RunConfig } from '../src/types.ts'

const config = (over: Partial<RunConfig> = {}): RunConfig => ({
  engine: 'benny',
  warmup_ms: 0,
  measurement_ms: 150,
  min_samples: 5,
  profile: 'quick',
  ...over,
})

function spinMs(ms: number): void {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // busy
  }
}

describe('measureOp (benny underneath)', () => {
  it('keeps samples in measured order (an op that gets faster with each call gives falling samples)', async () => {
    // Op time falls linearly with time since the first call: 2 ms at the start, 0.2 ms after 2.25 s. The measurement
    // (1.5 s) spans most of the fall even when a loaded machine delays the first sample by a second (with a 0.8 s fall
    // and 0.3 s of measurement, a loaded run once sampled only the floor).
    let t0: number | undefined
    const m = await measureOp(
      () => {
        t0 ??= performance.now()
        spinMs(Math.max(0.2, 2 * (1 - (performance.now() - t0) / 2500)))
      },
      { config: config({ measurement_ms: 1500, min_samples: 8 }) },
    )
    expect(m.samples_ms.length).toBeGreaterThanOrEqual(8)
    // benny sorts its sample array ascending in place; the record's order must be the measured one.
    // Sorted ascending, the first sample would be the smallest.
    expect(m.samples_ms[0]!).toBeGreaterThan(1.5 * m.samples_ms.at(-1)!)
    // The trend, not only the ends: the first quarter is slower than the last. (A rank correlation below 0 was flaky:
    // when a loaded start leaves most samples on the 0.2 ms floor, their noise sets the ranks.)
    const q = Math.max(1, Math.floor(m.samples_ms.length / 4))
    const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length
    expect(mean(m.samples_ms.slice(0, q))).toBeGreaterThan(1.2 * mean(m.samples_ms.slice(-q)))
  })

  it('measures an async op deferred: each sample covers the awaited time', async () => {
    const m = await measureOp(() => new Promise((r) => setTimeout(r, 5)), { config: config() })
    expect(m.async).toBe(true)
    // A timer of 5 ms cannot resolve sooner than ~4 ms (Node may fire up to 1 ms early); a
    // non-deferred measurement would see microseconds.
    for (const s of m.samples_ms) expect(s).toBeGreaterThanOrEqual(4)
  })

  it('runs a slow op only once per sample plus one warm-up op and one allocation call (no benny probe, no benchmark.js pretest)', async () => {
    let calls = 0
    const m = await measureOp(
      () => {
        calls++
        spinMs(60)
      },
      { config: config({ measurement_ms: 1, min_samples: 3 }) },
    )
    expect(m.samples_ms).toHaveLength(3)
    // 1 warm-up + 3 timed + 1 call of the allocation pass (its budget, 10% of 1 ms, holds less than one op).
    expect(calls).toBe(5)
    // No timed call was skipped: every sample holds a whole 60 ms op.
    for (const s of m.samples_ms) expect(s).toBeGreaterThanOrEqual(60)
  })

  it('rethrows a sync throw and an async rejection with their messages', async () => {
    let n = 0
    await expect(
      measureOp(
        () => {
          if (++n > 20) throw new Error('sync kaboom')
        },
        { config: config() },
      ),
    ).rejects.toThrow('sync kaboom')
    let k = 0
    await expect(
      measureOp(
        () =>
          Promise.resolve().then(() => {
            if (++k > 5) throw new Error('async kaboom')
          }),
        { config: config() },
      ),
    ).rejects.toThrow('async kaboom')
    await expect(measureOp(() => Promise.reject(new Error('first call')), { config: config() })).rejects.toThrow(
      'first call',
    )
  })

  it('counts GC events and reports a heap delta', async () => {
    const keep: unknown[] = []
    const m = await measureOp(
      () => {
        const a = []
        for (let i = 0; i < 20_000; i++) a.push({ i })
        keep[0] = a
      },
      { config: config() },
    )
    expect(m.gc_count).toBeGreaterThan(0)
    expect(m.gc_ms).toBeGreaterThan(0)
    expect(Number.isFinite(m.heap_used_delta_bytes)).toBe(true)
    expect(Date.parse(m.window.finished_at)).toBeGreaterThanOrEqual(Date.parse(m.window.started_at))
  })

  it('slows the op by the injected factor', async () => {
    const plain = await measureOp(() => spinMs(1), { config: config({ measurement_ms: 60, min_samples: 3 }) })
    const slowed = await measureOp(() => spinMs(1), {
      config: config({ measurement_ms: 60, min_samples: 3 }),
      injectFactor: 3,
    })
    // Lower bounds only: a 1 ms op slowed 3x cannot take less than 3 ms.
    for (const s of plain.samples_ms) expect(s).toBeGreaterThanOrEqual(1)
    for (const s of slowed.samples_ms) expect(s).toBeGreaterThanOrEqual(3)
  })
})

describe('measureOp allocations per op (v8.GCProfiler over a bare pass)', () => {
  // References, independent of the harness: Buffer#toString('latin1') of N bytes makes one
  // sequential one-byte V8 string of N characters, one byte each (plus a 16-byte header); a string
  // over 128 KiB goes to the large-object space, page-size effects aside. An integer loop allocates
  // nothing.
  const latin1 = (n: number): (() => unknown) => {
    const buf = Buffer.alloc(n, 97)
    const kept: unknown[] = []
    return () => (kept[0] = buf.toString('latin1'))
  }
  let sink = 0
  const intLoop = (): void => {
    let acc = 0
    for (let i = 0; i < 200_000; i++) acc = (acc + i * 7) | 0
    sink ^= acc
  }
  const allocConfig = config({ warmup_ms: 50, measurement_ms: 300, min_samples: 5 })

  it.each([
    ['a 1,000-character string', latin1(1000), 1000],
    ['a 400,000-character string', latin1(400_000), 400_000],
  ])('counts %s within 5% of its size', async (_what, op, bytes) => {
    const m = await measureOp(op, { config: allocConfig })
    expect(m.alloc_bytes_per_op).not.toBeNull()
    expect(Math.abs(m.alloc_bytes_per_op! / bytes - 1)).toBeLessThan(0.05)
  })

  it('counts next to nothing for an op that allocates nothing, slow ones included (no benchmark.js per-cycle cost)', async () => {
    const m = await measureOp(intLoop, { config: allocConfig })
    expect(sink).not.toBeNaN()
    expect(m.alloc_bytes_per_op!).toBeLessThan(64)
  })

  it('leaves allocations null, and the op uncalled after the timing, when turned off', async () => {
    let calls = 0
    const m = await measureOp(
      () => {
        calls++
        spinMs(60)
      },
      { config: config({ measurement_ms: 1, min_samples: 3 }), allocations: false },
    )
    expect(m.alloc_bytes_per_op).toBeNull()
    expect(calls).toBe(4)
  })
})

describe('measureOp allocations under BENCH_INJECT', () => {
  it('counts the op alone, not the injected spin-wait', async () => {
    // An op that allocates nothing: a slowed run must still say ~0 B/op (the spin-wait's timer reads
    // allocate a heap number each when unoptimised).
    let sink = 0
    const m = await measureOp(
      () => {
        let acc = 0
        for (let i = 0; i < 20_000; i++) acc = (acc + i) | 0
        sink ^= acc
      },
      { config: config({ warmup_ms: 20, measurement_ms: 200, min_samples: 3 }), injectFactor: 3 },
    )
    expect(sink).not.toBeNaN()
    expect(m.alloc_bytes_per_op!).toBeLessThan(64)
  })
})
