import { describe, it } from 'vitest'
import { expectPinnedDependencies, expectSourceFirst, readPackageJson } from '../../../test/package-json.ts'

const pkg = readPackageJson(import.meta.url)

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expectSourceFirst(pkg, '@ttapi/analysis')
  })

  it('pins every external dependency exactly and links internal ones as workspace:*', () => {
    expectPinnedDependencies(pkg)
  })
})
