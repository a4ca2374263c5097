#!/usr/bin/env node
// The `report` bin: the workspace's one launcher (scripts/launch-cli.js at the root) for this package: the
// install-time bundle (dist/) in plain node when it is fresh, else src/cli.ts through tsx.
/* global process, URL */
import { launchCli } from '../../../scripts/launch-cli.js'

await launchCli(
  new URL('..', import.meta.url),
  async (/** @type {{ main: (argv: string[]) => Promise<number> }} */ cli) => {
    process.exitCode = await cli.main(process.argv.slice(2))
  },
)
