#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so packages can call `ttapi-bench` from their bench script.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import process from 'node:process'
import { URL, fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const tsx = require.resolve('tsx/cli')
const r = spawnSync(process.execPath, [tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(r.status ?? 1)
