import type { ProgressHandle, TerminalOptions } from './types.ts'

const ESC = '\u001b['
const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const
/** Redraws of a progress bar at most this often (ms): a TTY repaint per request would cost more than the work. */
const REDRAW_MS = 80
/** Plain-line progress prints at these fractions of a stage. */
const LINE_STEPS = [0.25, 0.5, 0.75]

/** A styling function: wraps text in an ANSI colour when colours are on, else returns it unchanged. */
export type Style = (text: string) => string

/**
 * True when colours may be used on a stream: it is a TTY, `NO_COLOR` is unset or empty (no-color.org) and `TERM`
 * is not `dumb`.
 * @param isTTY - Whether the stream is a terminal.
 * @param env - Environment to read.
 */
export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (!isTTY) return false
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return env.TERM !== 'dumb'
}

/**
 * True when the environment says it is a CI run (`CI` set to anything but empty, `0` or `false`).
 * @param env - Environment to read.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false'
}

/**
 * Everything the CLI writes goes through here: results on stdout; stage progress, notes and warnings on stderr.
 * Progress is a redrawn bar on a TTY and plain lines otherwise (not a TTY, CI, `--quiet`).
 */
export class Terminal {
  /** True when progress is drawn as bars (stderr is a TTY, not CI, not quiet). */
  readonly bars: boolean
  /** True when ANSI colours are used. */
  readonly color: boolean
  /** True with `--quiet`: only stage results, warnings and the final table are printed. */
  readonly quiet: boolean
  /** Styles (identity functions when colours are off). */
  readonly style: Readonly<Record<keyof typeof CODES, Style>>
  readonly #out: (text: string) => void
  readonly #err: (text: string) => void
  readonly #columns: () => number
  #activeBar: string | null = null

  /**
   * @param options - Streams, TTY facts and flags; see {@link TerminalOptions}.
   */
  constructor(options: TerminalOptions) {
    this.quiet = options.quiet ?? false
    this.bars = options.stderrIsTTY && !options.ci && !this.quiet
    this.color = options.color
    this.#out = options.stdout
    this.#err = options.stderr
    this.#columns = options.columns ?? ((): number => 80)
    const make = (open: number, close: number): Style =>
      this.color ? (text: string): string => `${ESC}${open}m${text}${ESC}${close}m` : (text: string): string => text
    this.style = {
      bold: make(...CODES.bold),
      dim: make(...CODES.dim),
      red: make(...CODES.red),
      green: make(...CODES.green),
      yellow: make(...CODES.yellow),
      cyan: make(...CODES.cyan),
    }
  }

  /**
   * Writes text to stdout (results: the stage table, where the summary went).
   * @param text - Text, newline included.
   */
  out(text: string): void {
    this.#clearBar()
    this.#out(text)
  }

  /**
   * A note on stderr (skipped with `--quiet`).
   * @param line - One line, without the newline.
   */
  info(line: string): void {
    if (this.quiet) return
    this.#line(line)
  }

  /**
   * A stage result or other line that is printed even with `--quiet` (stderr).
   * @param line - One line, without the newline.
   */
  result(line: string): void {
    this.#line(line)
  }

  /**
   * A warning on stderr, always printed, prefixed `warning:` in yellow.
   * @param line - One line, without the newline.
   */
  warn(line: string): void {
    this.#line(`${this.style.yellow('warning:')} ${line}`)
  }

  /**
   * Starts the progress display of a stage.
   * @param label - Stage label, e.g. `symbol collection`.
   * @param total - Units of work when known, else null.
   * @param unit - Name of a unit, e.g. `symbols`.
   */
  progress(label: string, total: number | null, unit: string): ProgressHandle {
    let last = 0
    let step = 0
    const start = performance.now()
    const units = (n: number): string => (n === 1 && unit.endsWith('s') ? unit.slice(0, -1) : unit)
    if (!this.bars) this.info(`${label}: started${total === null ? '' : ` (${total} ${units(total)})`}`)
    const draw = (done: number, detail: string): void => {
      const width = Math.max(10, Math.min(30, this.#columns() - 60))
      const share = total === null || total === 0 ? 0 : Math.min(1, done / total)
      const filled = Math.round(share * width)
      const bar = `${this.style.cyan('█'.repeat(filled))}${this.style.dim('░'.repeat(width - filled))}`
      const count = total === null ? `${done} ${unit}` : `${done}/${total} ${unit}`
      const secs = ((performance.now() - start) / 1000).toFixed(1)
      this.#activeBar = `${label.padEnd(18)} ${bar} ${count}${detail === '' ? '' : ` ${detail}`} ${this.style.dim(`${secs}s`)}`
      this.#err(`\r${this.#activeBar}${ESC}K`)
    }
    return {
      update: (done: number, detail = ''): void => {
        if (this.bars) {
          const now = performance.now()
          if (now - last < REDRAW_MS && done !== total) return
          last = now
          draw(done, detail)
          return
        }
        if (total === null || total === 0 || done >= total) return
        // One line for the highest step crossed, so a jump from 10% to 80% prints once.
        let crossed = step
        while (crossed < LINE_STEPS.length && done / total >= LINE_STEPS[crossed]!) crossed++
        if (crossed === step) return
        step = crossed
        this.info(
          `${label}: ${Math.round(LINE_STEPS[crossed - 1]! * 100)}% (${done}/${total} ${unit})${detail === '' ? '' : ` ${detail}`}`,
        )
      },
      finish: (line: string): void => {
        this.#clearBar()
        this.result(line)
      },
    }
  }

  #line(line: string): void {
    this.#clearBar()
    this.#err(`${line}\n`)
  }

  #clearBar(): void {
    if (this.#activeBar === null) return
    this.#activeBar = null
    this.#err(`\r${ESC}K`)
  }
}
