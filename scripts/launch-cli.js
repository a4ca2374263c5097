// The one launcher of both apps' bins (apps/pipeline/bin/ttapi.js, apps/report/bin/report.js). It runs the bundle
// that `pnpm install` builds (dist/cli.js, scripts/build-cli.js) in this process with plain node: no TypeScript
// transformed at start-up, no second process. When there is no bundle, a source file it was built from has changed
// since, or TTAPI_FROM_SOURCE=1 (the tests), it runs src/cli.ts through tsx instead, in a child process whose
// signals it passes on (so `kill` stops the CLI rather than orphaning it).
// Only tsx's ESM hooks: its CommonJS hook detaches an ArrayBuffer when it loads a CommonJS package, which turns
// off V8's detaching protector and makes every typed-array access in the pipeline's analysis ~1.6x slower.
/* global process, URL */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Whether `dist` holds a bundle built after every file it was built from last changed.
 * @param {URL} dist - the package's `dist/` folder.
 * @returns {boolean}
 */
function bundleIsFresh(dist) {
  if (process.env.TTAPI_FROM_SOURCE === '1') return false
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the JSON written by scripts/bundle-cli.js
    const build = /** @type {{ builtAt: number, inputs: string[] }} */ (
      JSON.parse(readFileSync(new URL('build.json', dist), 'utf8'))
    )
    // Plain paths, not URLs: a hundred-odd stats at every start, 0.6 ms this way against 1.8 ms through new URL().
    const dir = fileURLToPath(dist)
    return build.inputs.every((file) => statSync(join(dir, file)).mtimeMs < build.builtAt)
  } catch {
    return false
  }
}

/**
 * Rebuilds a stale bundle once (sources changed since `pnpm install`, e.g. after a `git pull` that left the
 * lockfile alone, so install ran no `prepare`): 0.2-0.3 s once instead of tsx at every start. False when it
 * cannot (no esbuild, a read-only checkout); the caller then runs the source.
 * @param {URL} pkg - the package folder (with `scripts/build-cli.js` and `dist/`).
 * @returns {boolean}
 */
function rebuilt(pkg) {
  if (process.env.TTAPI_FROM_SOURCE === '1') return false
  const script = fileURLToPath(new URL('scripts/build-cli.js', pkg))
  const r = spawnSync(process.execPath, [script], { stdio: 'ignore' })
  return r.status === 0 && bundleIsFresh(new URL('dist/', pkg))
}

/**
 * Runs a package's CLI: `start` with the fresh (or freshly rebuilt) bundle's module in this process, else
 * `src/cli.ts` through tsx in a child process whose exit code (or signal) this process exits with.
 * @param {URL} pkg - the package folder, ending in `/` (`new URL('..', import.meta.url)` from its bin).
 * @param {(cli: any) => Promise<void>} start - runs the bundle's module (`dist/cli.js`): its entry point, exit code set.
 * @returns {Promise<void>}
 */
export async function launchCli(pkg, start) {
  const dist = new URL('dist/', pkg)
  if (bundleIsFresh(dist) || rebuilt(pkg)) {
    await start(await import(new URL('cli.js', dist).href))
    return
  }
  // tsx as the package resolves it (a dependency of each app).
  const require = createRequire(new URL('package.json', pkg))
  const cli = fileURLToPath(new URL('src/cli.ts', pkg))
  const tsx = pathToFileURL(require.resolve('tsx/esm')).href
  const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
    process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])))
}
