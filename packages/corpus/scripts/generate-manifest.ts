// Regenerates corpus-manifest.json from the corpus's PROVENANCE.md (sources, pinned commits, per-file rows and notes)
// and PROVENANCE.sha256. Usage: pnpm exec tsx scripts/generate-manifest.ts [corpus folder]
// Only the list is written: path, raw-file URL at the pinned commit, SHA-256, size, notes. No corpus bytes.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CorpusFile, CorpusManifest } from '../src/types.ts'

const corpus = resolve(
  process.argv[2] ?? process.env['TTAPI_CORPUS'] ?? join(import.meta.dirname, '../../../../shared/corpus'),
)
const provenance = readFileSync(join(corpus, 'PROVENANCE.md'), 'utf8')
const sums = new Map<string, string>()
for (const line of readFileSync(join(corpus, 'PROVENANCE.sha256'), 'utf8').split('\n')) {
  const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line)
  if (m !== null) sums.set(m[2]!, m[1]!)
}

const files: CorpusFile[] = []
let source = ''
let commit = ''
for (const line of provenance.split('\n')) {
  const section = /^## ([\w.-]+\/[\w.-]+)$/.exec(line)
  if (section !== null) [source, commit] = [section[1]!, '']
  const pin = /^- Commit\(s\): ([0-9a-f]{40})$/.exec(line)
  if (pin !== null) commit = pin[1]!
  const row = /^\| `([^`]+)` \| `([^`]+)` \| ([\d,]+) \| [0-9a-f]+ \| (.*) \|$/.exec(line)
  if (row === null) continue
  if (source === '' || commit === '') throw new Error(`corpus: row before its source and commit: ${line}`)
  const [, path, upstream, size, notes] = row as unknown as [string, string, string, string, string]
  const sha256 = sums.get(path)
  if (sha256 === undefined) throw new Error(`corpus: ${path} has no line in PROVENANCE.sha256`)
  const bytes = Number(size.replaceAll(',', ''))
  if (statSync(join(corpus, path)).size !== bytes) throw new Error(`corpus: ${path} is not ${bytes} bytes`)
  const url = `https://raw.githubusercontent.com/${source}/${commit}/${upstream.split('/').map(encodeURIComponent).join('/')}`
  files.push({ path, url, sha256, bytes, source, notes })
}
if (files.length !== sums.size) throw new Error(`corpus: ${files.length} rows in PROVENANCE.md, ${sums.size} sums`)
files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
const manifest: CorpusManifest = { version: 1, files }
writeFileSync(join(import.meta.dirname, '../corpus-manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
console.log(
  `corpus: wrote ${files.length} files (${files.reduce((n, f) => n + f.bytes, 0)} bytes) to corpus-manifest.json`,
)
