import { isAbsolute, join, resolve } from 'node:path'
import type { DataFormat, DatasetName } from './types.ts'

/** The directories a command works in. */
export interface PipelinePaths {
  /** Root of the defaults: `--home`, else `$TTAPI_HOME`, else `.ttapi` in the working directory. */
  home: string
  /** Where the synthetic market is generated when no `--data` is given. */
  dataRoot: string
  /** Cache directory: quotes in `quotes/`, imported columns in `columns/`. */
  cache: string
  /** Out directory: summary.md, summary.json, stage-history.json. */
  out: string
}

/**
 * Resolves the home, data, cache and out directories from options, the environment and the working directory.
 * @param options - Explicit directories (relative ones are resolved against `cwd`).
 * @param env - Environment (`TTAPI_HOME`).
 */
export function resolvePaths(
  options: { cwd: string; home?: string | undefined; cacheDir?: string | undefined; out?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): PipelinePaths {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(options.cwd, p))
  const envHome = env.TTAPI_HOME !== undefined && env.TTAPI_HOME !== '' ? env.TTAPI_HOME : undefined
  const home = at(options.home ?? envHome ?? '.ttapi')
  return {
    home,
    dataRoot: join(home, 'data'),
    cache: options.cacheDir === undefined ? join(home, 'cache') : at(options.cacheDir),
    out: options.out === undefined ? join(home, 'out') : at(options.out),
  }
}

/**
 * The directory the synthetic market of a dataset, format and seed is generated into (and reused from).
 * @param dataRoot - `PipelinePaths.dataRoot`.
 * @param dataset - Dataset size.
 * @param format - File format.
 * @param seed - Market seed.
 */
export function syntheticDataDir(dataRoot: string, dataset: DatasetName, format: DataFormat, seed: number): string {
  return join(dataRoot, `${dataset}-${format}${seed === 1 ? '' : `-seed${seed}`}`)
}
