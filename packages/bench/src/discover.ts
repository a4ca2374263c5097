import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * The workspace root: the nearest folder at or above `from` holding `pnpm-workspace.yaml`.
 *
 * @param from - Start folder.
 * @returns Its absolute path, or null when there is none.
 */
export function findWorkspaceRoot(from: string): string | null {
  let dir = path.resolve(from)
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir
    const up = path.dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

/**
 * The nearest folder at or above `from` holding a `package.json`, with its `name`.
 *
 * @param from - Start folder or file.
 * @returns Folder and package name (null when unnamed), or null when there is none.
 */
export function findPackage(from: string): { dir: string; name: string | null } | null {
  let dir = path.resolve(from)
  for (;;) {
    const pj = path.join(dir, 'package.json')
    if (existsSync(pj)) {
      const parsed = JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }
      return { dir, name: typeof parsed.name === 'string' ? parsed.name : null }
    }
    const up = path.dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

function benchFilesIn(pkgDir: string): string[] {
  const dir = path.join(pkgDir, 'bench')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => path.join(dir, f))
}

/**
 * Bench files of one package: `<pkgDir>/bench/*.bench.ts`, sorted by name.
 *
 * @param pkgDir - Package folder.
 * @returns Absolute paths.
 */
export function packageBenchFiles(pkgDir: string): string[] {
  return benchFilesIn(pkgDir)
}

/**
 * Every bench file of the workspace in a stable order: `packages/*` before `apps/*`, packages
 * alphabetically, files alphabetically.
 *
 * @param root - Workspace root.
 * @returns Absolute paths.
 */
export function workspaceBenchFiles(root: string): string[] {
  const out: string[] = []
  for (const group of ['packages', 'apps']) {
    const g = path.join(root, group)
    if (!existsSync(g)) continue
    const pkgs = readdirSync(g, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
    for (const p of pkgs) out.push(...benchFilesIn(path.join(g, p)))
  }
  return out
}
