import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findWorkspaceRoot, workspaceBenchFiles } from '../src/discover.ts'

describe('discovery', () => {
  it('finds the workspace root and lists packages before apps, alphabetically', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ttapi-bench-disc-'))
    writeFileSync(path.join(root, 'pnpm-workspace.yaml'), '')
    for (const p of [
      'apps/a/bench/z.bench.ts',
      'packages/b/bench/y.bench.ts',
      'packages/a/bench/x.bench.ts',
      'packages/a/bench/w.bench.ts',
      'packages/a/bench/notes.ts',
    ]) {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true })
      writeFileSync(path.join(root, p), '')
    }
    expect(findWorkspaceRoot(path.join(root, 'packages/a/bench'))).toBe(root)
    expect(workspaceBenchFiles(root).map((f) => path.relative(root, f))).toEqual([
      'packages/a/bench/w.bench.ts',
      'packages/a/bench/x.bench.ts',
      'packages/b/bench/y.bench.ts',
      'apps/a/bench/z.bench.ts',
    ])
    rmSync(root, { recursive: true })
  })
})
