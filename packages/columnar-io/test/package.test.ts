import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { expectPinnedDependencies, expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/columnar-io')
    expect(pkg.exports?.['./arrow']).toBe('./src/arrow-entry.ts')
    expect(pkg.exports?.['./worker-pool']).toBe('./src/worker-pool.ts')
  })

  it('pins every external dependency exactly and links internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })
})

/** The npm packages a fresh Node process loads when it imports `entry` (from Node's own module-loader debug log). */
function packagesLoadedBy(entry: string, then = ''): string[] {
  const url = new URL(entry, import.meta.url).href
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx/esm', '--input-type=module', '-e', `const m = await import(${JSON.stringify(url)}); ${then}`],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, NODE_DEBUG: 'esm' },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  )
  if (run.status !== 0) throw new Error(`importing ${entry} failed: ${run.stderr.slice(-2000)}`)
  const log = run.stderr
  const names = new Set<string>()
  for (const m of log.matchAll(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)) names.add(m[1]!)
  return [...names].sort()
}

describe('start-up cost', () => {
  const heavy = ['@bokuweb/zstd-wasm', 'apache-arrow', 'hyparquet', 'hyparquet-compressors', 'parquet-wasm', 'snappy']

  it('importing the package loads none of the Arrow and Parquet libraries; the ./arrow entry loads Arrow', () => {
    const main = packagesLoadedBy('../src/index.ts')
    expect(main).toContain('tsx') // the log is read: the loader itself shows in it
    expect(main.filter((n) => heavy.includes(n))).toEqual([])
    expect(packagesLoadedBy('../src/arrow-entry.ts')).toEqual(expect.arrayContaining(['apache-arrow', 'parquet-wasm']))
    // preloadParquetReader loads what readParquet's own files need, not the general reader's compressors.
    const preloaded = packagesLoadedBy('../src/index.ts', 'await m.preloadParquetReader()')
    expect(preloaded).toContain('hyparquet')
    expect(preloaded.filter((n) => heavy.includes(n) && n !== 'hyparquet')).toEqual([])
  })
})

describe('module boundaries', () => {
  it('the format families share code through src/_*.ts, not through each other (parquet/ imports nothing of csv/)', async () => {
    const { readdir } = await import('node:fs/promises')
    const crossing: string[] = []
    for (const [family, others] of [
      ['parquet', ['csv', 'metastock']],
      ['metastock', ['csv', 'parquet']],
    ] as const) {
      const dir = new URL(`../src/${family}/`, import.meta.url)
      for (const file of await readdir(dir)) {
        const text = await readFile(new URL(file, dir), 'utf8')
        for (const other of others)
          if (text.includes(`from '../${other}/`)) crossing.push(`${family}/${file} → ${other}/`)
      }
    }
    expect(crossing).toEqual([])
  })
})
