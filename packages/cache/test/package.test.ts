import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg.name).toBe('@ttapi/cache')
    expect(pkg.type).toBe('module')
    expect(pkg.sideEffects).toBe(false)
    expect(pkg.exports['.']).toBe('./src/index.ts')
  })

  it('pins every external dependency exactly and links internal ones as workspace:*', () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      if (name.startsWith('@ttapi/')) expect(version, name).toBe('workspace:*')
      else expect(version, name).toMatch(/^\d+\.\d+\.\d+$/)
    }
  })

  it('is a generic cache: no workspace package among its dependencies (columnar-io only for a test type)', () => {
    expect(Object.keys(pkg.dependencies).filter((n) => n.startsWith('@ttapi/'))).toEqual([])
    expect(Object.keys(pkg.devDependencies)).toEqual(['@ttapi/columnar-io'])
  })
})
