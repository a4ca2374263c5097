#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `ttapi` works from a workspace without a build. Signals sent to this
// launcher are passed on, so `kill` stops the CLI (and `serve-quotes`) rather than orphaning it.
// Only tsx's ESM hooks: its CommonJS hook detaches an ArrayBuffer when it loads a CommonJS package, which turns
// off V8's detaching protector and makes every typed-array access in the analysis ~1.6x slower.
/* global process, URL */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const tsx = pathToFileURL(require.resolve('tsx/esm')).href
const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
  process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === null ? 0 : constants.signals[signal])))
