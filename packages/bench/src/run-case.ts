import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ChildReply, ChildRequest } from './_protocol.ts'

/** Options of {@link runCaseInChild}. */
export interface RunCaseOptions {
  /** The request sent to the child. */
  request: ChildRequest
  /** Environment of the child (GLIBC_TUNABLES already decided). */
  env: NodeJS.ProcessEnv
  /** Extra node flags (e.g. `--cpu-prof`). @default [] */
  nodeArgs?: string[]
  /** Receives the child's stdout/stderr text. */
  onOutput?: (text: string) => void
  /** Kill the child and fail the case after this long. @default Infinity */
  timeoutMs?: number
}

// Resolved when a case runs, not at import: importing the package (e.g. for validateRecord) stays free of lookups.
const childEntry = (): string => fileURLToPath(new URL('./_child.ts', import.meta.url))
// tsx's ESM hooks only: its CommonJS hook transforms required packages (ajv, benny, …) in a way that
// detaches an ArrayBuffer, which disables V8's detaching protector for the whole process, and from
// then on every typed-array access checks for detachment: kernels over typed arrays ran ~1.6x slower
// than the same code in plain Node (a sum-and-store loop over 1.38M Float64: 1.7 ms vs 2.7 ms).
const tsxLoader = (): string => import.meta.resolve('tsx/esm')

/**
 * The `GLIBC_TUNABLES` a case child runs with: the user's when set (even empty), else
 * `glibc.malloc.hugetlb=1` (transparent huge pages for malloc: this VM backs fresh memory slowly).
 *
 * @param env - The parent's environment.
 * @returns The value to pass.
 */
export function childGlibcTunables(env: NodeJS.ProcessEnv): string {
  return env['GLIBC_TUNABLES'] ?? 'glibc.malloc.hugetlb=1'
}

/**
 * Runs one case in a fresh `node --import tsx/esm` child (its own heap and RSS), talking over IPC.
 * Never rejects: a crash, a signal or a missing reply becomes `{ ok: false, error }`.
 *
 * @param opts - Request, env, node flags.
 * @returns The child's reply.
 */
export function runCaseInChild(opts: RunCaseOptions): Promise<ChildReply> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader(), ...(opts.nodeArgs ?? []), childEntry()], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: opts.env,
    })
    let reply: ChildReply | undefined
    let stderrTail = ''
    child.stdout!.setEncoding('utf8').on('data', (t: string) => opts.onOutput?.(t))
    child.stderr!.setEncoding('utf8').on('data', (t: string) => {
      stderrTail = (stderrTail + t).slice(-2000)
      opts.onOutput?.(t)
    })
    child.on('message', (m: ChildReply) => {
      reply ??= m
    })
    child.on('error', (error) => {
      reply ??= { ok: false, error: `bench: cannot start child: ${error.message}` }
    })
    let timedOut = false
    const timer =
      opts.timeoutMs !== undefined && Number.isFinite(opts.timeoutMs)
        ? setTimeout(() => {
            timedOut = true
            child.kill('SIGKILL')
          }, opts.timeoutMs)
        : undefined
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (timedOut && !reply)
        return resolve({
          ok: false,
          error: `bench: case timed out after ${String(opts.timeoutMs)} ms (BENCH_CASE_TIMEOUT_MS)`,
        })
      if (reply) return resolve(reply)
      const why = signal ? `killed by ${signal}` : `exited with code ${String(code)}`
      const tail = stderrTail.trim().split('\n').slice(-3).join(' | ')
      resolve({ ok: false, error: `bench: case process ${why} without a result${tail ? `: ${tail}` : ''}` })
    })
    child.send(opts.request)
  })
}
