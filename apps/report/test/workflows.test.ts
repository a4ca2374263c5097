import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateWorkflow } from '@action-validator/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..', '..')

describe.each(['ci.yml', 'bench.yml'])('.github/workflows/%s', (name) => {
  const src = readFileSync(join(root, '.github', 'workflows', name), 'utf8')

  it('passes action-validator (SchemaStore workflow schema)', () => {
    const state = validateWorkflow(src)
    expect(state.errors).toEqual([])
  })

  it('runs on Node 20 with the lockfile', () => {
    const doc = parse(src) as {
      jobs: Record<string, { steps: Array<{ run?: string; with?: Record<string, unknown> }> }>
    }
    for (const job of Object.values(doc.jobs)) {
      const steps = job.steps
      expect(steps.some((s) => s.with?.['node-version'] === 20)).toBe(true)
      expect(steps.some((s) => s.run === 'pnpm install --frozen-lockfile')).toBe(true)
    }
  })
})

describe('the validator', () => {
  it('rejects a broken workflow', () => {
    expect(validateWorkflow('on: push\njobs:\n  x:\n    steps: 3\n').errors.length).toBeGreaterThan(0)
  })
})
