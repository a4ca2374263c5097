import { readdir, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { TtlCache } from '@ttapi/cache'
import { startQuoteServer } from '@ttapi/collector'
import { checkRunPaths } from './check-run-paths.ts'
import { columnsDir } from './column-cache.ts'
import { choiceOption, numberOption } from './command-line.ts'
import { UsageError } from './errors.ts'
import { resolvePaths, syntheticDataDir } from './paths.ts'
import { runPipeline } from './run-pipeline.ts'
import { formatDuration } from './stage-table.ts'
import { DEFAULT_FORMAT, writeSyntheticMarket } from './synthetic-data.ts'
import type { Terminal } from './terminal.ts'
import type { DataFormat, DatasetName, RunOptions } from './types.ts'

/** Parsed option values of one command. */
export type OptionValues = Record<string, string | boolean | undefined>

/** What a command needs from its surroundings. */
export interface CommandContext {
  /** Output. */
  terminal: Terminal
  /** Working directory. */
  cwd: string
  /** Environment. */
  env: NodeJS.ProcessEnv
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by `serve-quotes` and `watch`. */
  stopSignal: Promise<void>
}

const DATASET_CHOICES: readonly DatasetName[] = ['quick', 'full', 'tiny']
const FORMAT_CHOICES: readonly DataFormat[] = ['metastock', 'csv', 'parquet']

function stringOption(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/**
 * Turns the options of `ttapi run` (or `ttapi watch`) into {@link RunOptions}.
 * @param values - Parsed options.
 * @param cwd - Working directory.
 * @param c - The command, for messages. @default 'run'
 * @throws UsageError for a bad value or `--cold` with `--cached`
 */
export function runOptionsFrom(values: OptionValues, cwd: string, c: 'run' | 'watch' = 'run'): RunOptions {
  if (values.cold === true && values.cached === true)
    throw new UsageError(`ttapi ${c}: --cold and --cached exclude each other`, c)
  if (values.data !== undefined && values.dataset !== undefined) {
    throw new UsageError(`ttapi ${c}: --dataset sizes the synthetic market, which --data replaces; give one of them`, c)
  }
  const ttl = numberOption(c, 'quote-ttl', values['quote-ttl'], { min: 0.001 })
  const options: RunOptions = {
    mode: c === 'watch' ? (values.cold === true ? 'cold' : 'cached') : values.cached === true ? 'cached' : 'cold',
    universe: stringOption(values.universe) ?? 'sp500',
    data: stringOption(values.data) ?? null,
    dataset: choiceOption(c, 'dataset', values.dataset, DATASET_CHOICES) ?? 'quick',
    format: choiceOption(c, 'format', values.format, FORMAT_CHOICES) ?? DEFAULT_FORMAT,
    source: stringOption(values.source) ?? null,
    serverLatencyMs: numberOption(c, 'server-latency', values['server-latency'], { min: 0 }) ?? 50,
    serverJitterMs: numberOption(c, 'server-jitter', values['server-jitter'], { min: 0 }) ?? 20,
    seed: numberOption(c, 'seed', values.seed, { min: 0, integer: true }) ?? 1,
    concurrency: numberOption(c, 'concurrency', values.concurrency, { min: 1, max: 10_000, integer: true }) ?? 100,
    quoteTtlMs: ttl === undefined ? 900_000 : ttl * 1000,
    maxFailureShare: numberOption(c, 'max-failure-share', values['max-failure-share'], { min: 0, max: 1 }) ?? 0,
    benchmark: stringOption(values.benchmark) ?? null,
    cwd,
  }
  const workers = numberOption(c, 'workers', values.workers, { min: 1, max: 256, integer: true })
  if (workers !== undefined) options.workers = workers
  for (const key of ['out', 'home'] as const) {
    const v = stringOption(values[key])
    if (v !== undefined) options[key] = v
  }
  const cacheDir = stringOption(values['cache-dir'])
  if (cacheDir !== undefined) options.cacheDir = cacheDir
  if (options.source !== null) {
    let url: URL
    try {
      url = new URL(options.source!)
    } catch {
      throw new UsageError(`ttapi ${c}: expected --source to be an http(s) URL, got \`${options.source}\``, c)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`ttapi ${c}: expected --source to be an http(s) URL, got \`${options.source}\``, c)
    }
  }
  return options
}

/**
 * `ttapi run`: runs the pipeline, prints the stage table, returns the exit code.
 * @param values - Parsed options.
 * @param ctx - Terminal, cwd, environment.
 */
export async function runCommand(values: OptionValues, ctx: CommandContext): Promise<number> {
  const options = runOptionsFrom(values, ctx.cwd)
  // Before any work: a missing --data folder or an unwritable --out is a usage error now, not after every stage.
  checkRunPaths(options, ctx.env)
  const { terminal } = ctx
  const result = await runPipeline(options, terminal, ctx.env)
  const { summary } = result
  const failed = summary.failures.length
  terminal.out(`\n${result.table}`)
  terminal.out(`peak memory: ${(summary.peakRssBytes / 1e9).toFixed(2)} GB resident\n`)
  terminal.out(`summary: ${result.files.markdown} and ${result.files.json}\n`)
  if (failed > 0) {
    const byStage = summary.stages
      .filter((s) => s.failed > 0 || s.status === 'failed')
      .map((s) => `${s.stage} ${(s.failureShare * 100).toFixed(1)}%`)
    const line = `${failed} failure${failed === 1 ? '' : 's'} listed in the summary (${byStage.join(', ') || 'no stage over its share'})`
    terminal.out(`${summary.exitCode === 0 ? line : terminal.style.red(line)}\n`)
  }
  if (summary.exitCode !== 0) {
    terminal.out(`exit 1: a stage failed more than --max-failure-share ${summary.maxFailureShare} of its items\n`)
  }
  return summary.exitCode
}

/**
 * `ttapi serve-quotes`: the embedded quote server in this process until SIGINT/SIGTERM.
 * @param values - Parsed options.
 * @param ctx - Terminal and the stop signal.
 */
export async function serveQuotesCommand(values: OptionValues, ctx: CommandContext): Promise<number> {
  const c = 'serve-quotes'
  const server = await startQuoteServer({
    port: numberOption(c, 'port', values.port, { min: 0, max: 65_535, integer: true }) ?? 0,
    latencyMs: numberOption(c, 'latency', values.latency, { min: 0 }) ?? 50,
    jitterMs: numberOption(c, 'jitter', values.jitter, { min: 0 }) ?? 20,
    seed: numberOption(c, 'seed', values.seed, { min: 0, integer: true }) ?? 1,
    errorRate: numberOption(c, 'error-rate', values['error-rate'], { min: 0, max: 1 }) ?? 0,
    rateLimitRate: numberOption(c, 'rate-limit-rate', values['rate-limit-rate'], { min: 0, max: 1 }) ?? 0,
    resetRate: numberOption(c, 'reset-rate', values['reset-rate'], { min: 0, max: 1 }) ?? 0,
  })
  ctx.terminal.out(`${server.url}\n`)
  ctx.terminal.info(`quote server listening on ${server.url}; Ctrl-C stops it`)
  await ctx.stopSignal
  const stats = server.stats()
  await server.close()
  ctx.terminal.info(`quote server stopped after ${stats.requests} requests (${stats.quotesServed} quotes)`)
  return 0
}

/**
 * `ttapi generate`: writes the synthetic market to a directory.
 * @param values - Parsed options.
 * @param ctx - Terminal, cwd, environment.
 */
export async function generateCommand(values: OptionValues, ctx: CommandContext): Promise<number> {
  const c = 'generate'
  const dataset = choiceOption(c, 'dataset', values.dataset, DATASET_CHOICES) ?? 'quick'
  const format = choiceOption(c, 'format', values.format, FORMAT_CHOICES) ?? DEFAULT_FORMAT
  const seed = numberOption(c, 'seed', values.seed, { min: 0, integer: true }) ?? 1
  const paths = resolvePaths({ cwd: ctx.cwd, home: stringOption(values.home) }, ctx.env)
  const out = stringOption(values.out)
  const dir = out === undefined ? syntheticDataDir(paths.dataRoot, dataset, format, seed) : resolve(ctx.cwd, out)
  const start = performance.now()
  const progress = ctx.terminal.progress('generate', null, 'files')
  const d = await writeSyntheticMarket(dir, dataset, format, seed, (done) => progress.update(done))
  progress.finish(
    `generated ${d.rows.toLocaleString('en-US')} rows of ${d.symbols} symbols (${format}) in ${formatDuration(performance.now() - start)}`,
  )
  ctx.terminal.out(`${dir}\n`)
  return 0
}

async function dirUsage(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return { files, bytes }
  }
  for (const name of names) {
    try {
      const s = await stat(join(dir, name))
      if (s.isFile()) {
        files++
        bytes += s.size
      }
    } catch {
      // removed meanwhile
    }
  }
  return { files, bytes }
}

/**
 * `ttapi cache stats|clear`.
 * @param values - Parsed options.
 * @param positionals - `['stats']` or `['clear']`.
 * @param ctx - Terminal, cwd, environment.
 */
export async function cacheCommand(values: OptionValues, positionals: string[], ctx: CommandContext): Promise<number> {
  const action = positionals[0]
  if (action !== 'stats' && action !== 'clear') {
    throw new UsageError(
      `ttapi cache: expected \`stats\` or \`clear\`, got ${action === undefined ? 'nothing' : `\`${action}\``}`,
      'cache',
    )
  }
  const paths = resolvePaths(
    { cwd: ctx.cwd, home: stringOption(values.home), cacheDir: stringOption(values['cache-dir']) },
    ctx.env,
  )
  const entriesDir = join(paths.cache, 'entries')
  if (action === 'clear') {
    const before = [await dirUsage(entriesDir), await dirUsage(columnsDir(paths.cache))]
    await new TtlCache({ dir: entriesDir }).clear()
    await rm(columnsDir(paths.cache), { recursive: true, force: true })
    const files = before[0]!.files + before[1]!.files
    const bytes = before[0]!.bytes + before[1]!.bytes
    ctx.terminal.out(`cleared ${paths.cache}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB\n`)
    return 0
  }
  const entries = await dirUsage(entriesDir)
  const columns = await dirUsage(columnsDir(paths.cache))
  ctx.terminal.out(
    [
      `cache: ${paths.cache}`,
      `  entries (quotes, column manifests): ${entries.files} files, ${(entries.bytes / 1e6).toFixed(1)} MB`,
      `  columns (imported history):         ${columns.files} files, ${(columns.bytes / 1e6).toFixed(1)} MB`,
      '',
    ].join('\n'),
  )
  return 0
}
