import { defineConfig } from 'vitest/config'

// One test run over every package and app; each keeps its own tests under test/.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
