export { downloadCorpus, PARTIAL_SUFFIX } from './download-corpus.ts'
export {
  CorpusChecksumError,
  CorpusDownloadError,
  CorpusError,
  CorpusManifestError,
  CorpusUsageError,
} from './errors.ts'
export { loadManifest, MANIFEST_PATH } from './load-manifest.ts'
export { CORPUS_MARKER, locateCorpus } from './locate-corpus.ts'
export type { CorpusErrorCode } from './errors.ts'
export type {
  CorpusFailure,
  CorpusFile,
  CorpusFileOutcome,
  CorpusLocation,
  CorpusManifest,
  DownloadCorpusOptions,
  DownloadCorpusResult,
  LocateCorpusOptions,
} from './types.ts'
