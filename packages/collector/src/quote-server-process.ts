import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { QuoteServerError } from './errors.ts'
import type { QuoteServerOptions, QuoteServerProcess, QuoteServerStats } from './types.ts'

const START_TIMEOUT_MS = 30_000
const KILL_AFTER_MS = 5_000

/**
 * Starts the quote server in a child process (Node with the tsx loader running `_quote-server-entry.ts`), so a
 * benchmark or the CLI measures a client that does not share its event loop with the server. Resolves once the child
 * listens; the child also prints `{"url","port"}` on its stdout and exits if this process goes away.
 * @param options - the same options as `startQuoteServer` (JSON-serialisable)
 * @throws QuoteServerError when the child fails to start (bad options, port in use) within 30 s
 * @example
 * const server = await startQuoteServerProcess({ latencyMs: 20, jitterMs: 0 })
 * // ... collectQuotes(symbols, { source: server.url })
 * await server.stop()
 */
export async function startQuoteServerProcess(options: QuoteServerOptions = {}): Promise<QuoteServerProcess> {
  const require = createRequire(import.meta.url)
  const loader = pathToFileURL(require.resolve('tsx')).href
  const entry = fileURLToPath(new URL('./_quote-server-entry.ts', import.meta.url))
  const child = fork(entry, [JSON.stringify(options)], {
    execArgv: ['--import', loader],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000)
  })
  child.stdout?.resume()
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new QuoteServerError(`collector: quote server process did not start within ${START_TIMEOUT_MS} ms`))
    }, START_TIMEOUT_MS)
    const onMessage = (m: { type?: string; url?: string }): void => {
      if (m.type !== 'listening' || typeof m.url !== 'string') return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve({ url: m.url })
    }
    child.on('message', onMessage)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(
        new QuoteServerError(`collector: cannot start the quote server process: ${error.message}`, { cause: error }),
      )
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new QuoteServerError(`collector: quote server process exited with code ${code}: ${stderr.trim()}`))
    })
  })

  let nextId = 0
  const pending = new Map<number, (stats: QuoteServerStats) => void>()
  child.on('message', (m: { type?: string; id?: number; stats?: QuoteServerStats }) => {
    if (m.type === 'stats' && m.id !== undefined && m.stats) {
      pending.get(m.id)?.(m.stats)
      pending.delete(m.id)
    }
  })
  let stopping: Promise<void> | null = null
  return {
    url: ready.url,
    pid: child.pid!,
    stats: (): Promise<QuoteServerStats> =>
      new Promise((resolve, reject) => {
        if (!child.connected) {
          reject(new QuoteServerError('collector: quote server process is not running'))
          return
        }
        const id = nextId++
        pending.set(id, resolve)
        child.send({ type: 'stats', id })
      }),
    stop: (): Promise<void> => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS)
          await exited
          clearTimeout(timer)
        }
      })()
      return stopping
    },
  }
}
