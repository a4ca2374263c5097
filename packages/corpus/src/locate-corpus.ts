import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { REPO_ROOT } from './_repo-root.ts'
import type { CorpusLocation, LocateCorpusOptions } from './types.ts'

/** The file every corpus root holds: the shared corpus has it, and `pnpm corpus` writes it last, once all files verified. */
export const CORPUS_MARKER = 'PROVENANCE.sha256'

/**
 * Finds the public test corpus: `TTAPI_CORPUS` when set (then nothing else, so a wrong setting is never papered over),
 * else `<repo>/../shared/corpus`, else `<repo>/.corpus` (where `pnpm corpus` downloads it).
 * @param options - the environment value and repository root to use instead of this process's
 * @example
 * const corpus = locateCorpus()
 * if (corpus.dir === undefined) console.warn(`columnar-io: ${corpus.reason}`)
 */
export function locateCorpus(options: LocateCorpusOptions = {}): CorpusLocation {
  const env = 'env' in options ? options.env : process.env['TTAPI_CORPUS']
  const root = options.root ?? REPO_ROOT
  const searched =
    env !== undefined && env !== '' ? [resolve(env)] : [resolve(root, '../shared/corpus'), join(root, '.corpus')]
  const dir = searched.find((d) => existsSync(join(d, CORPUS_MARKER)))
  if (dir !== undefined) return { dir, searched, reason: '' }
  const where = env !== undefined && env !== '' ? `TTAPI_CORPUS=${env}` : searched.join(' or ')
  return {
    dir,
    searched,
    reason: `corpus not found (no ${CORPUS_MARKER} in ${where}); corpus tests skipped: run \`pnpm corpus\` to download it`,
  }
}
