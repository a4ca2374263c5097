// The package.json invariants every workspace package's test/package.test.ts asserts (hyparquet keeps the same
// test): ESM, side-effect free, source first, dependencies pinned exactly; and an app's bin, the root's launcher.
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/** The package.json fields the invariants read. */
export interface PackageJson {
  /** The package name, `@ttapi/…`. */
  name: string
  /** `module`: ESM only. */
  type?: string
  /** `false`: nothing runs on import. */
  sideEffects?: boolean
  /** Entry points by subpath. */
  exports?: Record<string, string>
  /** Bins by command name. */
  bin?: Record<string, string>
  /** npm scripts by name. */
  scripts?: Record<string, string>
  /** Run-time dependencies by name. */
  dependencies?: Record<string, string>
  /** Development dependencies by name. */
  devDependencies?: Record<string, string>
}

/**
 * The package.json of the package whose test calls it.
 * @param testUrl - the calling test's `import.meta.url` (a file in the package's `test/`).
 */
export function readPackageJson(testUrl: string): PackageJson {
  return JSON.parse(readFileSync(new URL('../package.json', testUrl), 'utf8')) as PackageJson
}

/**
 * Asserts an ESM, side-effect-free package named `name` whose main entry is its TypeScript source.
 * @param pkg - the package.json.
 * @param name - the expected package name.
 */
export function expectSourceFirst(pkg: PackageJson, name: string): void {
  expect(pkg.name).toBe(name)
  expect(pkg.type).toBe('module')
  expect(pkg.sideEffects).toBe(false)
  expect(pkg.exports?.['.']).toBe('./src/index.ts')
}

/**
 * Asserts every external dependency pinned to an exact version (a prerelease tag allowed) and every internal one
 * linked as `workspace:*`.
 * @param pkg - the package.json.
 */
export function expectPinnedDependencies(pkg: PackageJson): void {
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (name.startsWith('@ttapi/')) expect(version, name).toBe('workspace:*')
    else expect(version, name).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/)
  }
}

/**
 * Asserts an app's package.json and bin: source first, dependencies pinned, `bin/<command>.js` a call to the root's
 * launcher (the install-time bundle, else src/cli.ts through tsx, a dependency), `pnpm install` building the bundle,
 * and the root's `pnpm <command>` running the bin.
 * @param testUrl - the calling test's `import.meta.url` (a file in the app's `test/`).
 * @param name - the expected package name.
 * @param command - the bin's command name.
 */
export function expectApp(testUrl: string, name: string, command: string): void {
  const pkg = readPackageJson(testUrl)
  expectSourceFirst(pkg, name)
  expectPinnedDependencies(pkg)
  expect(pkg.bin).toEqual({ [command]: `./bin/${command}.js` })
  const binUrl = new URL(`../bin/${command}.js`, testUrl)
  const bin = readFileSync(binUrl, 'utf8')
  expect(bin.startsWith('#!/usr/bin/env node')).toBe(true)
  expect(bin).toContain("from '../../../scripts/launch-cli.js'")
  const launcher = readFileSync(new URL('../../../scripts/launch-cli.js', testUrl), 'utf8')
  expect(launcher).toContain("'dist/'")
  expect(launcher).toContain("'src/cli.ts'")
  expect(launcher).toContain("'tsx/esm'")
  expect(pkg.dependencies?.['tsx']).toBeDefined()
  // `pnpm install` builds the bundle (pnpm runs a workspace package's own `prepare`).
  expect(pkg.scripts?.['prepare']).toBe('node scripts/build-cli.js')
  const root = new URL('../../../', testUrl)
  const rootPkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as PackageJson
  expect(rootPkg.scripts?.[command]).toBe(`node ${binUrl.href.slice(root.href.length)}`)
}
