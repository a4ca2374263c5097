// `pnpm corpus` entry point: the only place that catches everything and picks exit codes
// (0 every file present and verified, 1 a download or checksum failure, 2 usage or manifest error).
import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { downloadCorpus } from './download-corpus.ts'
import { CorpusError, CorpusManifestError, CorpusUsageError } from './errors.ts'
import { loadManifest } from './load-manifest.ts'

const USAGE = `Usage: pnpm corpus [options]

Downloads the public test corpus from its pinned upstream commits into .corpus/ (git-ignored), verifying every
file's SHA-256. Files already present and verified are skipped; partial files are resumed.

Options:
  --dir <path>          folder to place the corpus in (default: <repo>/.corpus)
  --manifest <path>     manifest to download (default: packages/corpus/corpus-manifest.json)
  --base-url <url>      fetch from this mirror: <url>/<owner>/<repo>/<commit>/<path> (env TTAPI_CORPUS_BASE_URL)
  --concurrency <n>     files downloaded at once (default: 4)
  -h, --help            show this help

Exit codes: 0 ok, 1 a download or checksum failure, 2 usage or manifest error.`

async function main(argv: string[]): Promise<number> {
  let values: { dir?: string; manifest?: string; 'base-url'?: string; concurrency?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        dir: { type: 'string' },
        manifest: { type: 'string' },
        'base-url': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw new CorpusUsageError(`corpus: ${(error as Error).message.split('\n')[0]}`)
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency)
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    throw new CorpusUsageError(`corpus: --concurrency must be an integer from 1 up, got \`${values.concurrency}\``)
  const baseUrl = values['base-url'] ?? (process.env['TTAPI_CORPUS_BASE_URL'] || undefined)
  if (baseUrl !== undefined && !/^https?:\/\/./.test(baseUrl))
    throw new CorpusUsageError(`corpus: --base-url must be an http(s) URL, got \`${baseUrl}\``)
  const manifest = loadManifest(values.manifest)

  const result = await downloadCorpus({
    manifest,
    ...(values.dir === undefined ? {} : { dir: values.dir }),
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(concurrency === undefined ? {} : { concurrency }),
  })
  for (const f of result.failed) process.stderr.write(`${f.error.message}\n`)
  const where = relative(process.cwd(), result.dir) || '.'
  const summary =
    `${manifest.files.length} files in ${where}: ${result.downloaded} downloaded, ${result.present} already present` +
    `, ${(result.bytesReceived / 1e6).toFixed(2)} MB received`
  if (result.failed.length > 0) {
    process.stderr.write(`corpus: ${result.failed.length} of ${summary}; run again to resume\n`)
    return 1
  }
  process.stdout.write(`corpus: ${summary}\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof CorpusUsageError) {
      process.stderr.write(`${error.message} (see pnpm corpus --help)\n`)
      process.exitCode = 2
    } else if (error instanceof CorpusManifestError) {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 2
    } else if (error instanceof CorpusError) {
      process.stderr.write(`${error.message}\n`)
      process.exitCode = 1
    } else {
      const message = error instanceof Error ? error.message : String(error)
      process.stderr.write(`corpus: internal error: ${message.split('\n')[0]}\n`)
      process.exitCode = 1
    }
  },
)
