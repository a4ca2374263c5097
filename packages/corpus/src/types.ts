import type { CorpusError } from './errors.ts'

/** One corpus file: where it goes, where it comes from, and what it must hash to. */
export interface CorpusFile {
  /** Path relative to the corpus root, `/`-separated (as in PROVENANCE.md). */
  path: string
  /** Public raw-file URL at the pinned upstream commit. */
  url: string
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string
  /** Size in bytes. */
  bytes: number
  /** Upstream repository, `owner/name`. */
  source: string
  /** PROVENANCE.md's notes column for the file (symbols, rows, dates, codecs…); tests read expectations from it. */
  notes: string
}

/** The committed list of corpus files (`corpus-manifest.json`), generated from the corpus PROVENANCE. */
export interface CorpusManifest {
  /** Format version of this file. */
  version: 1
  /** Every file, sorted by `path`. */
  files: CorpusFile[]
}

/** Where the corpus was looked for and where it was found. */
export interface CorpusLocation {
  /** The corpus root, or `undefined` when no candidate holds one. */
  dir: string | undefined
  /** Every folder looked at, in order. */
  searched: string[]
  /** One line for a skipped test: where it looked and how to get the corpus; empty when found. */
  reason: string
}

/** Options of `locateCorpus`. */
export interface LocateCorpusOptions {
  /** Value of `TTAPI_CORPUS`; when set it is the only place looked at. @default process.env.TTAPI_CORPUS */
  env?: string | undefined
  /** The repository root (its parent holds `shared/corpus`, it holds `.corpus`). @default this checkout's root */
  root?: string
}

/** Options of `downloadCorpus`. */
export interface DownloadCorpusOptions {
  /** Folder the files are placed in (created if missing). @default `<repo root>/.corpus` */
  dir?: string
  /** The files to fetch. @default the committed `corpus-manifest.json` */
  manifest?: CorpusManifest
  /** Serve the manifest's URLs from this origin instead (a mirror or a test server): `<baseUrl>/<owner>/<repo>/<commit>/<path>`. */
  baseUrl?: string
  /** Files downloaded at once. @default 4 */
  concurrency?: number
  /** Attempts per file; each later attempt resumes the partial file with an HTTP Range request. @default 3 */
  attempts?: number
  /** Called once per file when it is done (downloaded, resumed or already present). */
  onFile?: (file: CorpusFile, outcome: CorpusFileOutcome) => void
  /** Aborts the downloads; a partial file is kept for the next run to resume. */
  signal?: AbortSignal
}

/** What happened to one file. */
export type CorpusFileOutcome = 'present' | 'downloaded' | 'resumed'

/** Result of `downloadCorpus`. */
export interface DownloadCorpusResult {
  /** The folder holding the corpus. */
  dir: string
  /** Files fetched now (fully or by resuming a partial file). */
  downloaded: number
  /** Files already present with the right SHA-256, left untouched. */
  present: number
  /** Bytes received over HTTP. */
  bytesReceived: number
  /** Files that could not be fetched or did not verify; the marker is written only when this is empty. */
  failed: CorpusFailure[]
}

/** One file `downloadCorpus` could not place. */
export interface CorpusFailure {
  /** The manifest entry. */
  file: CorpusFile
  /** Why: a `CorpusDownloadError` or `CorpusChecksumError` whose message names the file. */
  error: CorpusError
}
