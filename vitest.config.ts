import { defineConfig } from 'vitest/config'

// One test run over every package and app; each keeps its own tests under test/.
// Vitest finds this file from inside a package too: there it runs just that package's tests.
const root = import.meta.dirname
const atRoot = process.cwd() === root

export default defineConfig({
  test: {
    ...(atRoot ? { projects: [`${root}/packages/*`, `${root}/apps/*`] } : {}),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
