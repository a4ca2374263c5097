import { describe, expect, it } from 'vitest'
import { expectPinnedDependencies, expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/cache')
  })

  it('pins every external dependency exactly and links internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })

  it('is a generic cache: no workspace package among its dependencies (columnar-io only for a test type)', () => {
    expect(Object.keys(pkg.dependencies ?? {}).filter((n) => n.startsWith('@ttapi/'))).toEqual([])
    expect(Object.keys(pkg.devDependencies ?? {})).toEqual(['@ttapi/columnar-io'])
  })
})
