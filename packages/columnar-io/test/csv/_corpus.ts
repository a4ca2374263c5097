// Where the shared public corpus lives (PROVENANCE.md beside it): env TTAPI_CORPUS, else <repo root>/../shared/corpus.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** The corpus root. */
export const CORPUS: string = process.env.TTAPI_CORPUS ?? resolve(import.meta.dirname, '../../../../../shared/corpus')

/** True when the corpus is present; tests that need it skip (with a warning) otherwise. */
export const HAS_CORPUS: boolean = existsSync(resolve(CORPUS, 'PROVENANCE.md'))

if (!HAS_CORPUS) console.warn(`columnar-io: corpus not found at ${CORPUS}; corpus tests are skipped`)
