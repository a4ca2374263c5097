#!/usr/bin/env node
// `prepare` (pnpm install) and `build` of the `ttapi` CLI: the workspace's one bundler (scripts/bundle-cli.js at
// the root) for this package; an optional argument names another output folder (the tests build into a temp dir).
/* global process, URL */
import { fileURLToPath } from 'node:url'
import { bundleCli } from '../../../scripts/bundle-cli.js'

await bundleCli({
  pkgDir: fileURLToPath(new URL('..', import.meta.url)),
  name: 'ttapi',
  outDir: process.argv[2],
})
