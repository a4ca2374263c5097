// The workspace's one CLI bundler (apps/pipeline's `ttapi`, apps/report's `report`): esbuild bundles a package's
// src/cli.ts and the workspace packages it imports into dist/, so its bin starts in plain node — no TypeScript
// transformed at every start, one file (or one chunk per lazily imported command) instead of ~100 resolved and
// loaded. Each app's scripts/build-cli.js calls it; `prepare` (pnpm install) and `build` run that.
//
// Third-party packages stay external (node_modules resolves them as before). Every `import.meta.url` of a bundled
// source file is rewritten to that file's own URL (relative to the bundle), so the code that finds files beside
// itself — worker entries started through tsx, the quote server's child, uPlot beside html-report.ts, package.json —
// finds them in src/ as it does when run from source. dist/build.json lists the inputs: the bin rebuilds (or runs
// the source through tsx) when one of them is newer than the bundle.
/* global process, console */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'
import { build } from 'esbuild'

// Third-party packages bundled rather than imported from node_modules: plain ES modules whose many small files cost
// more to resolve and load one by one than to parse in a chunk. hyparquet (the Parquet reader's footer and page
// headers) is 25 modules, about 20 ms of a cached `ttapi run`; tree-shaken into its chunk, a few.
const INLINED = ['hyparquet', 'msgpackr']

/**
 * Bundles `<pkgDir>src/cli.ts` into `outDir` (default `<pkgDir>dist`), built beside it and swapped in.
 * @param {{ pkgDir: string, name: string, outDir?: string }} options - the package's folder (ending in a separator),
 *   the CLI's name for the message, where to write
 */
export async function bundleCli({ pkgDir, name, outDir }) {
  const finalDir = resolve(outDir ?? `${pkgDir}dist`)
  // Built beside the target, then swapped in: a CLI started meanwhile sees the old bundle or none, never half of one.
  const outdir = `${finalDir}.tmp-${process.pid}`

  /** Third-party files the bundle imports, by path relative to it: inputs too (a reinstall that moved one makes it stale). */
  const externals = new Set()

  /** @type {import('esbuild').Plugin} */
  const sourceUrls = {
    name: 'source-urls',
    setup(b) {
      // Third-party packages stay external, imported by their path relative to the bundle: each workspace package
      // sees only its own dependencies under pnpm, so the bundle imports the file the importing package resolved.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.path.startsWith('@ttapi/') || args.path.startsWith('node:') || args.pluginData === 'resolving') return
        if (INLINED.some((pkg) => args.path === pkg || args.path.startsWith(`${pkg}/`))) return
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        })
        if (found.errors.length > 0 || found.external) return { errors: found.errors }
        const path = relative(outdir, found.path).split(sep).join('/')
        externals.add(path)
        return { path, external: true }
      })
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const rel = relative(outdir, args.path).split(sep).join('/')
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`
        const contents = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', url)
        return { contents, loader: 'ts', resolveDir: dirname(args.path) }
      })
    },
  }

  const startedAt = Date.now()
  rmSync(outdir, { recursive: true, force: true })
  mkdirSync(outdir, { recursive: true })
  const result = await build({
    entryPoints: { cli: `${pkgDir}src/cli.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrls],
  })
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(outdir, resolve(p)).split(sep).join('/'))
  inputs.push(relative(outdir, `${pkgDir}package.json`).split(sep).join('/'), ...externals)
  // Built before any input changed: the newest input's time is recorded too, for the message of a stale bundle.
  const newest = Math.max(...inputs.map((p) => statSync(resolve(outdir, p)).mtimeMs))
  writeFileSync(`${outdir}/build.json`, `${JSON.stringify({ builtAt: startedAt, newest, inputs }, null, 1)}\n`)
  const old = `${finalDir}.old-${process.pid}`
  rmSync(old, { recursive: true, force: true })
  try {
    renameSync(finalDir, old)
  } catch {
    // No bundle yet.
  }
  renameSync(outdir, finalDir)
  rmSync(old, { recursive: true, force: true })
  console.error(
    `${name}: built ${relative(process.cwd(), finalDir) || '.'}/cli.js from ${inputs.length} files in ${Date.now() - startedAt} ms`,
  )
}
