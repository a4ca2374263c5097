#!/usr/bin/env node
// The `ttapi` bin: the workspace's one launcher (scripts/launch-cli.js at the root) for this package: the
// install-time bundle (dist/) in plain node when it is fresh, else src/cli.ts through tsx (ESM hooks only).
/* global URL */
import { launchCli } from '../../../scripts/launch-cli.js'

await launchCli(new URL('..', import.meta.url), (/** @type {{ runCli: () => Promise<void> }} */ cli) => cli.runCli())
