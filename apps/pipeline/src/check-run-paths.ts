// The paths of `ttapi run`, checked before any work: a missing --data folder or an --out that cannot be written is
// a usage error naming the flag, not a failure found after every quote was collected.
import { rmSync, statSync, writeFileSync } from 'node:fs'
import { makeDir } from '@ttapi/bench/make-dir'
import type { Stats } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { UsageError } from './errors.ts'
import { resolvePaths } from './paths.ts'
import type { RunOptions } from './types.ts'

function stats(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function fail(flag: string, given: string, path: string, problem: string): never {
  const shown = given === path ? given : `${given} (${path})`
  throw new UsageError(`ttapi run: ${flag} ${shown}: ${problem}`, 'run', { help: false })
}

/** Creates `dir` if needed and writes and removes a probe file in it; the problem in words, or null. */
function writableDir(dir: string): string | null {
  try {
    makeDir(dir)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    return `cannot create the directory (${e.code ?? e.message})`
  }
  if (stats(dir)?.isDirectory() !== true) return 'is not a directory'
  const probe = join(dir, `.ttapi-write-check-${process.pid}`)
  try {
    writeFileSync(probe, '')
    rmSync(probe, { force: true })
    return null
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    return `cannot write into the directory (${e.code ?? e.message})`
  }
}

/**
 * Checks the paths of a run before it starts: `--data` is a directory, `--universe` (a file) exists, and the out,
 * cache and (for the synthetic market) data directories can be created and written. Creates those directories.
 * @param options - The run's options (relative paths against `options.cwd`).
 * @param env - Environment (`TTAPI_HOME`).
 * @throws UsageError naming the flag (`--data`, `--universe`, `--out`, `--cache-dir`, `--home`, `$TTAPI_HOME`)
 */
export function checkRunPaths(options: RunOptions, env: NodeJS.ProcessEnv = process.env): void {
  const cwd = options.cwd ?? process.cwd()
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(cwd, p))
  if (options.data !== undefined && options.data !== null) {
    const data = at(options.data)
    const s = stats(data)
    if (s === null) fail('--data', options.data, data, 'no such directory')
    if (!s.isDirectory())
      fail('--data', options.data, data, 'is not a directory (give the folder that holds the files)')
  }
  const universe = options.universe ?? 'sp500'
  if (universe !== 'sp500') {
    const s = stats(at(universe))
    if (s === null) fail('--universe', universe, at(universe), 'no such file (give sp500 or a file of symbols)')
    if (!s.isFile()) fail('--universe', universe, at(universe), 'is not a file')
  }
  const paths = resolvePaths({ cwd, home: options.home, cacheDir: options.cacheDir, out: options.out }, env)
  const envHome = env.TTAPI_HOME !== undefined && env.TTAPI_HOME !== ''
  const homeFlag =
    options.home !== undefined ? ['--home', options.home] : envHome ? ['$TTAPI_HOME', env.TTAPI_HOME!] : null
  const checks: [string, string, string][] = []
  const via = (flag: string | null, given: string | undefined, dir: string): [string, string, string] =>
    flag !== null && given !== undefined
      ? [flag, given, dir]
      : homeFlag !== null
        ? [homeFlag[0]!, homeFlag[1]!, dir]
        : ['the default home', '.ttapi', dir]
  checks.push(via('--out', options.out, paths.out))
  checks.push(via('--cache-dir', options.cacheDir, paths.cache))
  if (options.data === undefined || options.data === null) checks.push(via(null, undefined, paths.dataRoot))
  for (const [flag, given, dir] of checks) {
    const problem = writableDir(dir)
    if (problem !== null) fail(flag, given, dir, problem)
  }
}
