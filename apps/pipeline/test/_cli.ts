// Runs the `ttapi` bin as a subprocess and collects its output.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The bin launcher. */
export const BIN: string = fileURLToPath(new URL('../bin/ttapi.js', import.meta.url))

/** What a CLI run produced. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Environment for a test run: no CI flag, no colour settings inherited from the test runner, TTAPI_HOME unset. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'TTAPI_HOME', 'TTAPI_DEBUG']) delete env[key]
  // The tests run the source, whatever dist/ holds (test/build-cli.test.ts runs the bundle).
  return { ...env, TTAPI_FROM_SOURCE: '1', ...extra }
}

/**
 * Runs `ttapi ...args` in `cwd`.
 * @param onStderr - sees stderr as it arrives (to act mid-run).
 * @param bin - The launcher to run. @default {@link BIN}
 */
export function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
  onStderr?: (text: string) => void,
  bin: string = BIN,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
      onStderr?.(stderr)
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Runs a shell command line inside a pseudo-terminal (util-linux `script`), output combined. */
export function runInPty(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr: '' }))
  })
}
