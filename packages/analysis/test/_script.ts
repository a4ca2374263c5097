// Runs a TypeScript snippet in a fresh Node process (tsx loader plus the given V8 flags) and returns its stdout:
// for tests of how V8 compiles the kernels, which must not depend on what this test process compiled before.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** Absolute path of a module under the package's `src/`, for the snippet's imports. */
export const srcModule = (name: string): string =>
  JSON.stringify(fileURLToPath(new URL(`../src/${name}`, import.meta.url)))

/** Absolute path of a dependency's entry (the snippet runs from a temp dir, outside this package). */
export const packageModule = (name: string): string => JSON.stringify(createRequire(import.meta.url).resolve(name))

/** Writes `source` to a temp .mts file, runs it with `flags`, and returns its stdout. */
export async function runScript(source: string, flags: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'analysis-script-'))
  try {
    const script = join(dir, 'script.mts')
    writeFileSync(script, source)
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, '--import', 'tsx', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 60_000,
      maxBuffer: 256 * 1024 * 1024,
    })
    return stdout
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
