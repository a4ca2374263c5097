// Suite pipeline: what a user runs — `ttapi run` as a whole process, cold and cached; `ttapi watch`'s refresh through
// the PipelineSession it runs — and each stage on its own.
//
// Setup (never timed): the synthetic market is generated once per dataset as a MetaStock directory under
// os.tmpdir()/ttapi-bench-pipeline (reused across runs), and the embedded quote server runs in a child process at its
// default latency, 50 ms +/- 20 ms: the cold run's cost is real work (503 HTTP requests at the collector's default
// concurrency of 100, the MetaStock import, the analysis, refilling the cache), not a latency chosen for the ratio.
//
//   pipeline_cold_cli              `ttapi run --cold` as a whole process per op (quick dataset): Node start-up, module
//                                  load, cold JIT, every quote collected, the MetaStock import, the cache rewritten
//   pipeline_cached_cli            `ttapi run --cached` as a whole process per op on the profile's dataset: what a
//                                  user's cached run costs; teardown prints the process's peak RSS (from summary.json),
//                                  the figure for the 1.6 GB target
//   pipeline_watch_refresh_cold    one refresh of `ttapi watch --cold --workers 2` (quick dataset): every quote
//                                  collected, the data files imported, the analysis, every summary line rendered
//   pipeline_watch_refresh_cached  one refresh of `ttapi watch --workers 2` with fresh quotes and unchanged data:
//                                  quotes from the cache, columns from memory, analysis recomputed, unchanged summary
//                                  lines reused
//   pipeline_watch_refresh_profile pipeline_watch_refresh_cached on the profile's dataset: quick 1.38M rows; full
//                                  10,000 x 2,760 = 27.6M rows (target < 2 s a refresh, rss_peak_bytes < 1.6 GB)
//   stage_*                        each stage alone, cold and cached, as `ttapi run` runs it (stage_import_cold includes
//                                  the column-cache write the run waits for; stage_analysis is `ttapi watch --workers 2`'s
//                                  analysis with its kept pool; the analysis is always recomputed)
//
// The watch cases use a PipelineSession with options a user gives `ttapi watch` (--data, --source, --home,
// --workers, --cold); the session keeps what the watch process keeps (connections, worker pool, columns, lines).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineSuite } from '@ttapi/bench'
import type { CaseContext, SuiteDefinition } from '@ttapi/bench'
import { AnalysisPool } from '@ttapi/analysis'
import { TtlCache } from '@ttapi/cache'
import type { CacheWarning } from '@ttapi/cache'
import { HttpQuoteSource, sp500Symbols, startQuoteServerProcess } from '@ttapi/collector'
import type { QuoteServerProcess } from '@ttapi/collector'
import { analysisStage } from '../src/analysis-stage.ts'
import { collectStage } from '../src/collect-stage.ts'
import { importStage } from '../src/import-stage.ts'
import { PipelineSession } from '../src/pipeline-session.ts'
import { syntheticDataDir } from '../src/paths.ts'
import { Terminal } from '../src/terminal.ts'
import type { DatasetName, KeptColumns, RunMode, RunSummary } from '../src/types.ts'

const silent = new Terminal({
  stdout: () => {},
  stderr: () => {},
  stderrIsTTY: false,
  color: false,
  ci: true,
  quiet: true,
})

const BIN = fileURLToPath(new URL('../bin/ttapi.js', import.meta.url))

/**
 * The environment a user's shell gives `ttapi`: this process's, without the `GLIBC_TUNABLES` the harness gives each
 * case's child. Malloc on transparent huge pages helps processes that reuse their buffers, but a fresh process that
 * faults in 1.3 GB at once waits on the kernel compacting memory for huge pages: a full-dataset `ttapi run --cached`
 * took 1.93–2.90 s with `glibc.malloc.hugetlb=1` against 1.51–1.53 s without (four runs each, alternating, 2-core VM).
 */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['GLIBC_TUNABLES']
  return env
}

/** Runs the CLI in a child process, so its memory never counts in this case's peak RSS. */
function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args, '--quiet'], { encoding: 'utf8', env: userEnv() })
  if (r.status !== 0) throw new Error(`pipeline: ttapi ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
}

/** The dataset as a MetaStock directory under os.tmpdir(), generated once (by a child process) and reused. */
function dataDir(dataset: DatasetName): string {
  const root = join(tmpdir(), 'ttapi-bench-pipeline')
  mkdirSync(root, { recursive: true })
  const dir = syntheticDataDir(root, dataset, 'metastock', 1)
  if (!existsSync(join(dir, 'dataset.json')))
    cli(['generate', '--dataset', dataset, '--format', 'metastock', '--out', dir])
  return dir
}

interface SessionState {
  server: QuoteServerProcess
  session: PipelineSession
  mode: RunMode
  rows: number
}

/** A session as `ttapi watch [--cold] --data DIR --source URL --home DIR --workers 2` opens it, warmed by 3 refreshes. */
function watchSession(mode: RunMode, byProfile = false): (ctx: CaseContext) => Promise<SessionState> {
  return async (ctx) => {
    const dataset: DatasetName = byProfile && ctx.profile === 'full' ? 'full' : 'quick'
    const data = dataDir(dataset)
    const server = await startQuoteServerProcess({ seed: 1 })
    const home = join(ctx.tmpDir, 'home')
    // The cold run that fills the cache runs in a child process (its memory is not this case's); then untimed
    // refreshes check everything works, size the kept buffers and warm the JIT (the profile's warm-up is shorter).
    cli(['run', '--cold', '--data', data, '--source', server.url, '--home', home])
    const session = await PipelineSession.open(
      { mode, universe: 'sp500', data, source: server.url, home, workers: 2 },
      silent,
    )
    const state: SessionState = { server, session, mode, rows: 0 }
    for (let i = 0; i < 3; i++) await refreshOnce(state)
    return state
  }
}

async function refreshOnce(s: SessionState): Promise<void> {
  const r = await s.session.refresh()
  const expected = s.mode === 'cached' ? ['cache', 'cache', 'computed'] : ['source', 'data', 'computed']
  const got = r.summary.stages.map((st) => st.source)
  if (r.summary.exitCode !== 0 || got.join() !== expected.join()) {
    throw new Error(`pipeline: ${s.mode} refresh gave sources ${got.join()} exit ${r.summary.exitCode}`)
  }
  s.rows = r.summary.stages[1]!.items
}

async function stopSession(s: SessionState): Promise<void> {
  await s.session.close()
  await s.server.stop()
}

interface CliState {
  server: QuoteServerProcess
  args: string[]
  home: string
  rows: number
  /** Largest peak RSS of a CLI process seen, from its summary.json. */
  peakRss: number
}

/** `ttapi run --cold|--cached` as a whole process each op (cached: on the profile's dataset): what a user's run costs. */
function cliSetup(mode: RunMode): (ctx: CaseContext) => Promise<CliState> {
  return async (ctx) => {
    const dataset: DatasetName = mode === 'cached' && ctx.profile === 'full' ? 'full' : 'quick'
    const data = dataDir(dataset)
    const server = await startQuoteServerProcess({ seed: 1 })
    const home = join(ctx.tmpDir, 'home')
    const args = ['run', '--data', data, '--source', server.url, '--home', home]
    cli([...args, '--cold'])
    const state: CliState = { server, args: [...args, `--${mode}`], home, rows: 0, peakRss: 0 }
    cliRun(state)
    return state
  }
}

function cliRun(s: CliState): void {
  cli(s.args)
  const summary = JSON.parse(readFileSync(join(s.home, 'out', 'summary.json'), 'utf8')) as RunSummary
  const expected = s.args.includes('--cached') ? 'cache,cache,computed' : 'source,data,computed'
  if (summary.stages.map((st) => st.source).join() !== expected) {
    throw new Error(`pipeline: CLI run ${s.args.at(-1)} gave ${summary.stages.map((st) => st.source).join()}`)
  }
  s.rows = summary.stages[1]!.items
  s.peakRss = Math.max(s.peakRss, summary.peakRssBytes)
}

interface StageState {
  server: QuoteServerProcess
  cache: TtlCache
  cacheDir: string
  data: string
  warnings: CacheWarning[]
  table: NonNullable<KeptColumns['table']>
  pool: AnalysisPool | null
}

async function stageSetup(ctx: CaseContext, withPool = false): Promise<StageState> {
  const data = dataDir('quick')
  const server = await startQuoteServerProcess({ seed: 1 })
  const cacheDir = join(ctx.tmpDir, 'cache')
  const warnings: CacheWarning[] = []
  const cache = new TtlCache({
    dir: join(cacheDir, 'entries'),
    ttl: 3_600_000,
    onWarning: (w) => void warnings.push(w),
  })
  // Fill both caches once, untimed.
  const source = new HttpQuoteSource({ url: server.url })
  await collectStage({
    symbols: sp500Symbols,
    mode: 'cold',
    cache,
    warnings,
    source,
    concurrency: 100,
    ttlMs: 3_600_000,
    terminal: silent,
  })
  await source.close()
  const imported = await importStage({ mode: 'cold', dataDir: data, cache, cacheDir, terminal: silent, warnings })
  await imported.cacheWrite
  await cache.flush()
  const pool = withPool ? new AnalysisPool() : null
  await pool?.ready()
  return { server, cache, cacheDir, data, warnings, table: imported.table!, pool }
}

async function collectOnce(s: StageState, mode: RunMode): Promise<void> {
  const source = new HttpQuoteSource({ url: s.server.url })
  // A fresh cache instance each op, so a cached op reads the disk, not the memory layer.
  const cache = new TtlCache({ dir: join(s.cacheDir, 'entries'), ttl: 3_600_000 })
  try {
    const r = await collectStage({
      symbols: sp500Symbols,
      mode,
      cache,
      warnings: s.warnings,
      source,
      concurrency: 100,
      ttlMs: 3_600_000,
      terminal: silent,
    })
    // A cold collection persists the quotes; the pipeline waits for that too.
    await cache.flush()
    if (r.report.items !== sp500Symbols.length)
      throw new Error(`pipeline: collected ${r.report.items}/${sp500Symbols.length}`)
    if ((r.report.source === 'cache') !== (mode === 'cached'))
      throw new Error(`pipeline: ${mode} collection came from ${r.report.source}`)
  } finally {
    await source.close()
  }
}

async function importOnce(s: StageState, mode: RunMode): Promise<void> {
  // The stage as `ttapi run` runs it: a fresh cache instance each op (a cached op reads the disk, not the memory
  // layer), no kept buffers, and a cold op's column-cache write waited for (the one-shot run waits for it too).
  const cache = new TtlCache({ dir: join(s.cacheDir, 'entries'), ttl: 3_600_000 })
  const r = await importStage({
    mode,
    dataDir: s.data,
    cache,
    cacheDir: s.cacheDir,
    terminal: silent,
    warnings: s.warnings,
  })
  if (r.table === null || (r.report.source === 'cache') !== (mode === 'cached')) {
    throw new Error(`pipeline: ${mode} import came from ${r.report.source}: ${r.report.note}`)
  }
  const cacheWarning = r.cacheWrite === null ? null : await r.cacheWrite
  if (cacheWarning !== null) throw new Error(`pipeline: ${cacheWarning}`)
  await cache.flush()
}

async function stopStage(s: StageState): Promise<void> {
  await s.pool?.close()
  await s.server.stop()
}
const COLD = { minSamples: 3, maxTimeMs: 4_000 }
const CACHED = { maxTimeMs: 2_000 }

const suite: SuiteDefinition = defineSuite({
  suite: 'pipeline',
  cases: [
    {
      name: 'pipeline_cold_cli',
      unit: 'rows',
      itemsPerOp: (s: CliState): number => s.rows,
      setup: cliSetup('cold'),
      fn: cliRun,
      teardown: (s: CliState): Promise<void> => s.server.stop(),
      minSamples: 3,
      maxTimeMs: 8_000,
    },
    {
      name: 'pipeline_cached_cli',
      unit: 'rows',
      itemsPerOp: (s: CliState): number => s.rows,
      setup: cliSetup('cached'),
      fn: cliRun,
      teardown: async (s: CliState): Promise<void> => {
        console.error(`pipeline/pipeline_cached_cli: peak RSS of a ttapi process ${(s.peakRss / 1e9).toFixed(2)} GB`)
        await s.server.stop()
      },
      minSamples: 3,
      maxTimeMs: 6_000,
    },
    {
      name: 'pipeline_watch_refresh_cold',
      unit: 'rows',
      itemsPerOp: (s: SessionState): number => s.rows,
      setup: watchSession('cold'),
      fn: refreshOnce,
      teardown: stopSession,
      ...COLD,
    },
    {
      name: 'pipeline_watch_refresh_cached',
      unit: 'rows',
      itemsPerOp: (s: SessionState): number => s.rows,
      setup: watchSession('cached'),
      fn: refreshOnce,
      teardown: stopSession,
      ...CACHED,
    },
    {
      name: 'pipeline_watch_refresh_profile',
      unit: 'rows',
      itemsPerOp: (s: SessionState): number => s.rows,
      setup: watchSession('cached', true),
      fn: refreshOnce,
      teardown: stopSession,
      minSamples: 3,
      maxTimeMs: 10_000,
    },
    {
      name: 'stage_collection_cold',
      unit: 'symbols',
      itemsPerOp: sp500Symbols.length,
      setup: stageSetup,
      fn: (s: StageState): Promise<void> => collectOnce(s, 'cold'),
      teardown: stopStage,
      ...COLD,
    },
    {
      name: 'stage_collection_cached',
      unit: 'symbols',
      itemsPerOp: sp500Symbols.length,
      setup: stageSetup,
      fn: (s: StageState): Promise<void> => collectOnce(s, 'cached'),
      teardown: stopStage,
      ...CACHED,
    },
    {
      name: 'stage_import_cold',
      unit: 'rows',
      itemsPerOp: (s: StageState): number => s.table.length,
      setup: stageSetup,
      fn: (s: StageState): Promise<void> => importOnce(s, 'cold'),
      teardown: stopStage,
      ...COLD,
    },
    {
      name: 'stage_import_cached',
      unit: 'rows',
      itemsPerOp: (s: StageState): number => s.table.length,
      setup: stageSetup,
      fn: (s: StageState): Promise<void> => importOnce(s, 'cached'),
      teardown: stopStage,
      ...CACHED,
    },
    {
      name: 'stage_analysis',
      unit: 'rows',
      itemsPerOp: (s: StageState): number => s.table.length,
      setup: (ctx: CaseContext): Promise<StageState> => stageSetup(ctx, true),
      fn: async (s: StageState): Promise<void> => {
        const r = await analysisStage({ table: s.table, pool: s.pool, workers: 2, benchmark: null, terminal: silent })
        if (r.result === null) throw new Error(`pipeline: analysis failed: ${r.report.note}`)
      },
      teardown: stopStage,
      ...CACHED,
    },
  ],
})

export default suite
