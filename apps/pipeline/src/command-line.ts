import { parseArgs } from 'node:util'
import { UsageError } from './errors.ts'

/** One option of a command: its parseArgs shape and its help line. */
interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** Placeholder shown in help, e.g. `DIR`. */
  arg?: string
  /** Help text, one line. */
  help: string
  /** Left out of the help (test-only options). */
  hidden?: boolean
}

/** One command: summary, usage line, options. */
interface CommandSpec {
  summary: string
  usage: string
  options: Record<string, OptionSpec>
  /** Extra help paragraphs. */
  notes?: string
  /** Positionals the command takes (names for the usage error). */
  positionals?: readonly string[]
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' }
const HOME: OptionSpec = {
  type: 'string',
  arg: 'DIR',
  help: 'root of the data, cache and out dirs ($TTAPI_HOME, else ./.ttapi)',
}
const QUIET: OptionSpec = { type: 'boolean', short: 'q', help: 'no progress, only results and warnings' }
const CACHE_DIR: OptionSpec = { type: 'string', arg: 'DIR', help: 'cache directory (default <home>/cache)' }

/** Options of `ttapi run` (`ttapi watch` takes them too). */
const RUN_OPTIONS: Record<string, OptionSpec> = {
  cold: { type: 'boolean', help: 'ignore the cache: collect every quote, import the data (the default)' },
  cached: {
    type: 'boolean',
    help: 'reuse fresh cached quotes and columns; stale or corrupt ones go cold',
  },
  universe: {
    type: 'string',
    arg: 'sp500|FILE',
    help: 'sp500 (default), or a file: one symbol a line or a CSV Symbol column',
  },
  data: {
    type: 'string',
    arg: 'DIR',
    help: 'end-of-day history: MetaStock, CSV or Parquet (default: synthetic)',
  },
  dataset: {
    type: 'string',
    arg: 'quick|full',
    help: 'synthetic market: quick 500 x 2,760 days (default), full 10,000 x 2,760',
  },
  format: {
    type: 'string',
    arg: 'FMT',
    help: 'synthetic market file format: metastock (default), csv, parquet',
  },
  source: {
    type: 'string',
    arg: 'URL',
    help: 'a running quote server (default: an embedded one in a child process)',
  },
  out: { type: 'string', arg: 'DIR', help: 'where summary.md and summary.json go (default <home>/out)' },
  'cache-dir': CACHE_DIR,
  home: HOME,
  quiet: { type: 'boolean', short: 'q', help: 'no progress, only stage results, warnings and the stage table' },
  'max-failure-share': {
    type: 'string',
    arg: 'X',
    help: 'exit 0 while no stage fails more than this share, 0..1 (default 0)',
  },
  concurrency: { type: 'string', arg: 'N', help: 'quote requests in flight (default 100)' },
  'quote-ttl': {
    type: 'string',
    arg: 'SECONDS',
    help: 'how long collected quotes stay fresh in the cache (default 900)',
  },
  'server-latency': { type: 'string', arg: 'MS', help: 'latency of the embedded quote server (default 50)' },
  'server-jitter': {
    type: 'string',
    arg: 'MS',
    help: 'jitter of the embedded quote server, uniform +/- (default 20)',
  },
  seed: {
    type: 'string',
    arg: 'N',
    help: 'seed of the embedded quote server and the synthetic market (default 1)',
  },
  benchmark: {
    type: 'string',
    arg: 'SYMBOL',
    help: 'a symbol of the history to compute beta and correlation against',
  },
  workers: {
    type: 'string',
    arg: 'N',
    help: 'analysis threads for tables of 4M rows or more (default 1: this thread)',
  },
  help: HELP,
}

/** Every command of `ttapi`, in help order. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  run: {
    summary: 'the whole pipeline: collect quotes, import the history, analyse, summarise',
    usage: 'ttapi run [--cold | --cached] [--universe sp500|FILE] [--data DIR] [options]',
    options: RUN_OPTIONS,
    notes: `Cold: quotes come from the source and the history from the data files; the cache is refilled.
Cached: quotes and imported columns come from the cache when fresh; the analysis is always
recomputed. The stage table compares this run with the last good run of the other kind over the
same inputs (<out>/stage-history.json).
--dataset quick|full sizes the synthetic market used when there is no --data.
Exit codes: 0 ok, 1 a stage failed beyond --max-failure-share, 2 usage error.`,
  },
  watch: {
    summary: 'keep the pipeline running: refresh on quote expiry or a data change',
    usage: 'ttapi watch [--cold] [--interval SECONDS] [--refreshes N] [run options]',
    options: {
      // Every `run` option but --cold/--cached means the same here; the mode applies to every refresh.
      ...Object.fromEntries(Object.entries(RUN_OPTIONS).filter(([name]) => !['cached', 'cold', 'help'].includes(name))),
      cold: {
        type: 'boolean',
        help: 'every refresh collects every quote and imports the data (no cache)',
      },
      interval: {
        type: 'string',
        arg: 'SECONDS',
        help: 'refresh this often (default --quote-ttl); a data change refreshes now',
      },
      refreshes: { type: 'string', arg: 'N', help: 'stop after N refreshes (default: until SIGINT or SIGTERM)' },
      help: HELP,
    },
    notes: `One process keeps the quote source, the imported columns and the rendered summary lines: a
refresh collects the quotes that expired, re-imports only when a data file changed, recomputes the
analysis and rewrites summary.md and summary.json atomically. A refresh that fails a stage beyond
--max-failure-share says why and leaves the last good summaries in place. One line per refresh.
Exit codes: 0 stopped by SIGINT/SIGTERM (after the refresh in progress), else the last refresh's
(as run); 2 usage error.`,
  },
  'serve-quotes': {
    summary: 'serve quotes from the embedded quote server until interrupted',
    usage: 'ttapi serve-quotes [--port N] [--latency MS] [--jitter MS] [--seed N] [options]',
    options: {
      port: { type: 'string', arg: 'N', help: 'TCP port on 127.0.0.1 (default 0: a free one)' },
      latency: { type: 'string', arg: 'MS', help: 'fixed latency before each response (default 50)' },
      jitter: { type: 'string', arg: 'MS', help: 'uniform jitter added to the latency (default 20)' },
      seed: { type: 'string', arg: 'N', help: 'seed of prices and faults (default 1)' },
      'error-rate': { type: 'string', arg: 'X', help: 'share of requests answered 503 (default 0)' },
      'rate-limit-rate': { type: 'string', arg: 'X', help: 'share of requests answered 429 (default 0)' },
      'reset-rate': { type: 'string', arg: 'X', help: 'share of connections reset without an answer (default 0)' },
      quiet: QUIET,
      help: HELP,
    },
    notes: 'Prints the URL, then serves until SIGINT or SIGTERM. Use it with `ttapi run --source URL`.',
  },
  generate: {
    summary: 'write the synthetic market to a data directory',
    usage: 'ttapi generate [--dataset quick|full] [--format metastock|csv|parquet] [--out DIR]',
    options: {
      dataset: { type: 'string', arg: 'quick|full', help: 'quick 500 x 2,760 days (default), full 10,000 x 2,760' },
      format: { type: 'string', arg: 'FMT', help: 'metastock (default), csv or parquet' },
      out: { type: 'string', arg: 'DIR', help: 'directory to write (default <home>/data/<dataset>-<format>)' },
      seed: { type: 'string', arg: 'N', help: 'seed of the market (default 1)' },
      home: HOME,
      quiet: QUIET,
      help: HELP,
    },
  },
  cache: {
    summary: 'show or clear the cache',
    usage: 'ttapi cache stats|clear [--cache-dir DIR]',
    positionals: ['stats|clear'],
    options: { 'cache-dir': CACHE_DIR, home: HOME, quiet: QUIET, help: HELP },
  },
}

/** A parsed command line. */
export type CommandLine =
  | { command: 'help'; topic: string | null }
  | { command: 'version' }
  | { command: string; values: Record<string, string | boolean | undefined>; positionals: string[] }

/**
 * The top-level help, or one command's.
 * @param command - A command name, or null for the overview.
 */
export function helpText(command: string | null): string {
  const spec = command === null ? undefined : COMMANDS[command]
  if (spec === undefined) {
    const names = Object.keys(COMMANDS)
    const width = Math.max(...names.map((n) => n.length)) + 2
    return [
      'Usage: ttapi <command> [options]',
      '',
      'The ttapi market-data pipeline.',
      '',
      'Commands:',
      ...names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n]!.summary}`),
      '',
      'Options:',
      '  -h, --help     show help (also `ttapi <command> --help`)',
      '  -v, --version  show the version',
      '',
      'Run `ttapi <command> --help` for the options of a command.',
      '',
    ].join('\n')
  }
  const rows = Object.entries(spec.options)
    .filter(([, o]) => o.hidden !== true)
    .map(
      ([name, o]) =>
        [
          `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.arg === undefined ? '' : ` ${o.arg}`}`,
          o.help,
        ] as const,
    )
  const width = Math.max(...rows.map(([left]) => left.length)) + 2
  return [
    `Usage: ${spec.usage}`,
    '',
    `${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.`,
    '',
    'Options:',
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}${help}`),
    ...(spec.notes === undefined ? [] : ['', spec.notes]),
    '',
  ].join('\n')
}

/**
 * Parses `argv` (the arguments after the program name) with node:util `parseArgs` in strict mode.
 * @param argv - Arguments, e.g. `['run', '--cached']`.
 * @throws UsageError for an unknown command or option, a missing value, or a stray argument
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv]
  const first = args[0]
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? (args[1] ?? null) : null
    if (topic !== null && COMMANDS[topic] === undefined)
      throw new UsageError(`ttapi: unknown command \`${topic}\``, null)
    return { command: 'help', topic }
  }
  if (first === '--version' || first === '-v') return { command: 'version' }
  if (first.startsWith('-')) throw new UsageError(`ttapi: expected a command before \`${first}\``, null)
  const spec = COMMANDS[first]
  if (spec === undefined) throw new UsageError(`ttapi: unknown command \`${first}\``, null)
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {}
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = o.short === undefined ? { type: o.type } : { type: o.type, short: o.short }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: args.slice(1), options, strict: true, allowPositionals: true })
  } catch (error) {
    throw new UsageError(`ttapi ${first}: ${describeParseError(error)}`, first)
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values.help === true) return { command: 'help', topic: first }
  const allowed = spec.positionals?.length ?? 0
  if (parsed.positionals.length > allowed) {
    throw new UsageError(`ttapi ${first}: unexpected argument \`${parsed.positionals[allowed]}\``, first)
  }
  return { command: first, values, positionals: parsed.positionals }
}

// parseArgs messages run on with advice about `--`; keep the first sentence, which names the option.
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const first = message.split(/\. (?=[A-Z])/)[0]!.replace(/\.$/, '')
  return first.charAt(0).toLowerCase() + first.slice(1)
}

/**
 * Reads a numeric option: undefined when absent, else a finite number within [min, max] (an integer when asked).
 * @param command - The command, for the message and the help.
 * @param name - The option name without dashes.
 * @param raw - The value given.
 * @param limits - Bounds and integrality.
 * @throws UsageError naming the option and the value received
 */
export function numberOption(
  command: string,
  name: string,
  raw: string | boolean | undefined,
  limits: { min: number; max?: number; integer?: boolean },
): number | undefined {
  if (raw === undefined) return undefined
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN
  const { min, max = Infinity, integer = false } = limits
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = max === Infinity ? `from ${min} up` : `from ${min} to ${max}`
    throw new UsageError(
      `ttapi ${command}: expected --${name} to be ${integer ? 'an integer' : 'a number'} ${range}, got \`${String(raw)}\``,
      command,
    )
  }
  return value
}

/**
 * Reads an option restricted to a set of values.
 * @param command - The command, for the message and the help.
 * @param name - The option name without dashes.
 * @param raw - The value given.
 * @param choices - The values accepted.
 * @throws UsageError naming the option, the choices and the value received
 */
export function choiceOption<T extends string>(
  command: string,
  name: string,
  raw: string | boolean | undefined,
  choices: readonly T[],
): T | undefined {
  if (raw === undefined) return undefined
  if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return raw as T
  throw new UsageError(
    `ttapi ${command}: expected --${name} to be one of ${choices.join(', ')}, got \`${String(raw)}\``,
    command,
  )
}
