#!/usr/bin/env node
// The `ttapi` bin. It runs the bundle that `pnpm install` builds (dist/cli.js, scripts/build-cli.js) in this process
// with plain node: no TypeScript transformed at start-up, no second process. When there is no bundle, a source file
// it was built from has changed since, or TTAPI_FROM_SOURCE=1 (the tests), it runs src/cli.ts through tsx instead,
// in a child process whose signals it passes on (so `kill` stops the CLI rather than orphaning it).
// Only tsx's ESM hooks: its CommonJS hook detaches an ArrayBuffer when it loads a CommonJS package, which turns
// off V8's detaching protector and makes every typed-array access in the analysis ~1.6x slower.
/* global process, URL */
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dist = new URL('../dist/', import.meta.url)

/** Whether dist/ holds a bundle built after every file it was built from last changed. */
function bundleIsFresh() {
  if (process.env.TTAPI_FROM_SOURCE === '1') return false
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the JSON written by scripts/build-cli.js
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
 */
function rebuilt() {
  if (process.env.TTAPI_FROM_SOURCE === '1') return false
  const script = fileURLToPath(new URL('../scripts/build-cli.js', import.meta.url))
  const r = spawnSync(process.execPath, [script], { stdio: 'ignore' })
  return r.status === 0 && bundleIsFresh()
}

if (bundleIsFresh() || rebuilt()) {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the bundle of src/cli.ts
  const cli = /** @type {{ runCli: () => Promise<void> }} */ (await import(new URL('cli.js', dist).href))
  await cli.runCli()
} else {
  const require = createRequire(import.meta.url)
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
  const tsx = pathToFileURL(require.resolve('tsx/esm')).href
  const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
    process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])))
}
