import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateWorkflow } from '@action-validator/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = join(import.meta.dirname, '..', '..', '..')
const dir = join(root, '.github', 'workflows')
const workflows = readdirSync(dir).filter((f) => f.endsWith('.yml'))

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  permissions?: Record<string, string>
  'timeout-minutes'?: number
  steps: Step[]
}
interface Workflow {
  permissions?: Record<string, string>
  concurrency?: { group: string }
  jobs: Record<string, Job>
}

/**
 * Why a job may hold a write permission: the steps that need it. A job holding a write permission
 * without such a step is over-privileged.
 */
const NEEDS: Record<string, (job: Job) => boolean> = {
  // changesets/action pushes the version branch; `report runs-pr` pushes the benchmarks branch.
  contents: (job) =>
    job.steps.some((s) => s.uses?.startsWith('changesets/action@') || /report runs-pr/.test(s.run ?? '')),
  // Upserting the PR comment, opening the Version Packages or the benchmarks PR.
  'pull-requests': (job) =>
    job.steps.some((s) => s.uses?.startsWith('changesets/action@') || /report (github|runs-pr)/.test(s.run ?? '')),
  // The check run of `report github --sha`.
  checks: (job) => job.steps.some((s) => /report github .*--sha/s.test(s.run ?? '')),
}

const packageManager = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string })
  .packageManager
const pnpmVersion = packageManager.split('@')[1]!

it('covers ci, bench and release', () => {
  expect(workflows.sort()).toEqual(['bench.yml', 'ci.yml', 'release.yml'])
})

describe.each(workflows)('.github/workflows/%s', (name) => {
  const src = readFileSync(join(dir, name), 'utf8')
  const doc = parse(src) as Workflow

  it('passes action-validator (SchemaStore workflow schema)', () => {
    const state = validateWorkflow(src)
    expect(state.errors).toEqual([])
  })

  it('runs on Node 20 with the lockfile', () => {
    for (const job of Object.values(doc.jobs)) {
      const steps = job.steps
      expect(steps.some((s) => s.with?.['node-version'] === 20)).toBe(true)
      expect(steps.some((s) => s.run === 'pnpm install --frozen-lockfile')).toBe(true)
    }
  })

  it('pins every action to a full commit SHA with its version in a comment', () => {
    const lines = src.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/)
    // The parsed document agrees with the line scan (no `uses:` hidden in a flow mapping).
    const uses = Object.values(doc.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])))
    expect(uses).toHaveLength(lines.length)
  })

  it('gives every job a timeout', () => {
    for (const [id, job] of Object.entries(doc.jobs))
      expect(job['timeout-minutes'], `${name} job ${id}`).toBeGreaterThan(0)
  })

  it('declares read-only permissions at the top and widens them per job only where a step needs it', () => {
    expect(doc.permissions).toEqual({ contents: 'read' })
    for (const [id, job] of Object.entries(doc.jobs)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        if (level !== 'write') continue
        const need = NEEDS[scope]
        expect(need, `${name} job ${id}: ${scope}: write has no known use`).toBeDefined()
        expect(need!(job), `${name} job ${id}: ${scope}: write but no step needs it`).toBe(true)
      }
    }
  })

  it('takes the pnpm version from packageManager only', () => {
    for (const job of Object.values(doc.jobs))
      for (const s of job.steps)
        if (s.uses?.startsWith('pnpm/action-setup@')) expect(s.with?.version, name).toBeUndefined()
    expect(src).not.toContain(pnpmVersion)
    expect(src).not.toMatch(/pnpm@\d/)
  })

  it('groups concurrent runs per ref', () => {
    expect(doc.concurrency?.group).toMatch(/\$\{\{ .*github\.ref/)
  })
})

describe('one source for the pnpm version', () => {
  it('.ci/run reads packageManager', () => {
    const run = readFileSync(join(root, '.ci', 'run'), 'utf8')
    expect(run).not.toContain(pnpmVersion)
    expect(run).toContain('packageManager')
    expect(run.trimEnd().split('\n').at(-1)).toBe('pnpm test')
  })
})

describe('dependabot', () => {
  it('updates github-actions and npm', () => {
    const doc = parse(readFileSync(join(root, '.github', 'dependabot.yml'), 'utf8')) as {
      version: number
      updates: Array<{ 'package-ecosystem': string; directory: string }>
    }
    expect(doc.version).toBe(2)
    expect(doc.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
  })
})

describe('the validator', () => {
  it('rejects a broken workflow', () => {
    expect(validateWorkflow('on: push\njobs:\n  x:\n    steps: 3\n').errors.length).toBeGreaterThan(0)
  })
})
