// The cache and out directories the user named (or the home holding them), created and checked writable
// before any work: a bad one is a one-line input error naming the flag, not a failure after every stage.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PipelineError } from './errors.ts'
import { fsReason, makeDir } from '@ttapi/bench/make-dir'
import type { PipelinePaths } from './paths.ts'

/**
 * Creates `paths.cache` and `paths.out` and writes a probe file into each.
 * @param paths - the resolved directories.
 * @param named - the options given (`home`, `cacheDir`, `out`), to name the flag a directory came from.
 * @param env - the environment (`TTAPI_HOME`).
 * @throws PipelineError `PIPELINE_INPUT`: `ttapi: cannot write --out /proc/x: ENOENT: no such file or directory`.
 */
export function prepareDirs(
  paths: PipelinePaths,
  named: { home?: string | undefined; cacheDir?: string | undefined; out?: string | undefined },
  env: NodeJS.ProcessEnv,
): void {
  const home = named.home !== undefined ? '--home' : env.TTAPI_HOME ? '$TTAPI_HOME' : 'the default home (.ttapi)'
  const dirs: [string, string][] = [
    [paths.cache, named.cacheDir !== undefined ? '--cache-dir' : home],
    [paths.out, named.out !== undefined ? '--out' : home],
  ]
  for (const [dir, flag] of dirs) {
    const probe = join(dir, `.ttapi-probe-${process.pid}`)
    try {
      makeDir(dir)
      writeFileSync(probe, '')
      rmSync(probe)
    } catch (error) {
      throw new PipelineError('PIPELINE_INPUT', `ttapi: cannot write ${flag} ${dir}: ${fsReason(error)}`, {
        cause: error,
      })
    }
  }
}
