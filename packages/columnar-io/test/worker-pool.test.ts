import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnWorker, WorkerPool } from '../src/worker-pool.ts'

const entry = new URL('./fixtures/pool-worker.ts', import.meta.url)
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('WorkerPool', () => {
  it('runs a TypeScript entry on several workers, results in task order, `extra` with every batch', async () => {
    const pool = new WorkerPool(entry, 'test')
    const got = await pool.run<number, number>(2, 'square', range(100), () => 1, 7, 1000)
    expect(got).toEqual(range(100).map((n) => n * n + 1000))
  })

  it('runs concurrent calls one after another, each with its own results (they shared workers before)', async () => {
    const pool = new WorkerPool(entry, 'test')
    const calls = [0, 1, 2].map((k) => pool.run<number, number>(2, 'slow-square', range(30), () => 1, 3, k * 10_000))
    const results = await Promise.all(calls)
    results.forEach((got, k) => expect(got).toEqual(range(30).map((n) => n * n + k * 10_000)))
  })

  it('rejects with the worker error (name and message) once the other batches in flight are answered', async () => {
    const pool = new WorkerPool(entry, 'test')
    expect(await pool.run(2, 'square', [2, 3], () => 1, 1, 0)).toEqual([4, 9])
    // Both workers are up. One fails at once while the other is still squaring 1: that late answer must not become the next call's.
    await expect(pool.run(2, 'slow-square', [-2, 1], () => 1, 1, 0)).rejects.toMatchObject({
      name: 'RangeError',
      message: 'pool test: negative task -2',
    })
    expect(await pool.run(2, 'square', [4, 5], () => 1, 1, 0)).toEqual([16, 25])
  })

  it('starts every worker with the 1 MB young generation (metastock and analysis workers had the default)', async () => {
    const pool = new WorkerPool(entry, 'test')
    expect(await pool.run(2, 'limits', [0, 0], () => 1, 1)).toEqual([1, 1])
    const worker = spawnWorker(entry)
    try {
      expect(worker.resourceLimits?.maxYoungGenerationSizeMb).toBe(1)
    } finally {
      await worker.terminate()
    }
  })
})

describe('worker start-up', () => {
  it("no source file reaches into tsx's internal dist files", () => {
    const root = join(import.meta.dirname, '../../..')
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === 'node_modules' || e.name.startsWith('.')) continue
        const path = join(dir, e.name)
        if (e.isDirectory()) walk(path)
        else if (/\.(ts|js|mjs)$/.test(e.name) && /tsx\/dist|dist\/esm\/api/.test(readFileSync(path, 'utf8'))) {
          offenders.push(path)
        }
      }
    }
    for (const top of ['packages', 'apps'])
      for (const pkg of readdirSync(join(root, top))) {
        if (existsSync(join(root, top, pkg, 'src'))) walk(join(root, top, pkg, 'src'))
      }
    expect(offenders).toEqual([])
  })
})
