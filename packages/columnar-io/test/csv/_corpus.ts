// Where the shared public corpus lives: TTAPI_CORPUS, else <repo>/../shared/corpus, else <repo>/.corpus (`pnpm corpus`).
import { locateCorpus } from '@ttapi/corpus'

const found = locateCorpus()

/** The corpus root ('' when absent: every test that reads it is skipped). */
export const CORPUS: string = found.dir ?? ''

/** True when the corpus is present; tests that need it skip (with a warning) otherwise. */
export const HAS_CORPUS: boolean = found.dir !== undefined

if (!HAS_CORPUS) console.warn(`columnar-io: ${found.reason}`)
