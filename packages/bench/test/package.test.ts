import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string
  type: string
  sideEffects: boolean
  exports: unknown
  bin: unknown
} & Record<string, unknown>

describe('package.json', () => {
  it('is an ESM, side-effect-free, source-first package', () => {
    expect(pkg['name']).toBe('@ttapi/bench')
    expect(pkg['type']).toBe('module')
    expect(pkg['sideEffects']).toBe(false)
    expect(pkg['exports']).toEqual({ '.': './src/index.ts' })
    expect(pkg['bin']).toEqual({ 'ttapi-bench': './bin/ttapi-bench.js' })
  })
  it('pins every dependency exactly (internal ones as workspace:*)', () => {
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, v] of Object.entries((pkg[field] ?? {}) as Record<string, string>)) {
        if (name.startsWith('@ttapi/')) expect(v, name).toBe('workspace:*')
        else expect(v, name).toMatch(/^\d+\.\d+\.\d+$/)
      }
    }
  })
})
