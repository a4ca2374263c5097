import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// One test run over every package and app; each keeps its own tests under test/.
// Vitest finds this file from inside a package too: there it runs just that package's tests.
// Projects are listed inline with `extends: true` so they inherit the timeouts below; a bare
// directory glob would give each project vitest's 5 s default instead.
const root = import.meta.dirname
const atRoot = process.cwd() === root

function workspacePackages(): { extends: true; test: { name: string; root: string } }[] {
  return ['packages', 'apps'].flatMap((group) => {
    const base = join(root, group)
    if (!existsSync(base)) return []
    return readdirSync(base)
      .map((entry) => join(base, entry))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }
        return { extends: true as const, test: { name: pkg.name, root: dir } }
      })
  })
}

export default defineConfig({
  test: {
    ...(atRoot ? { projects: workspacePackages() } : {}),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
