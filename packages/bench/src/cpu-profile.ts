import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { applySourceMaps, readSourceMaps } from './_source-maps.ts'

/** One function of a CPU profile with its self time. */
export interface ProfileFunction {
  /** Function name (`(anonymous)` when unnamed; V8 pseudo-frames like `(garbage collector)` kept). */
  name: string
  /** Source location `file:line:column` (1-based), or `''` for V8 pseudo-frames. */
  location: string
  /** Self time in ms. */
  self_ms: number
  /** Share of all non-idle sampled time, in percent. */
  pct: number
}

interface CpuProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
}

interface CpuProfile {
  nodes: CpuProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function where(url: string, line: number, col: number): string {
  if (url === '') return ''
  let file = url
  if (url.startsWith('file://')) {
    try {
      file = fileURLToPath(url)
    } catch {
      // keep the URL
    }
  }
  return `${file}:${line + 1}:${col + 1}`
}

/**
 * File name of one case's `--cpu-prof` profile under `benchmarks/profiles/`; the report finds a run's
 * profiles by the same name.
 *
 * @param suite - Suite name.
 * @param caseName - Case name.
 * @param runId - The run's id.
 * @returns `<suite>_<case>_<runId>.cpuprofile`.
 */
export function cpuProfileFileName(suite: string, caseName: string, runId: string): string {
  return `${suite}_${caseName}_${runId}.cpuprofile`
}

// Node's default profile name: CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile.
const NODE_PROFILE = /^CPU\.\d+\.\d+\.\d+\.(\d+)\.\d+\.cpuprofile$/

/**
 * Moves the profiles one case's child wrote into its own directory (`--cpu-prof-dir`, Node's default names) to
 * `profileDir`: the main thread's (thread id 0, where the case runs) as `name`, any other thread's as
 * `<name without .cpuprofile>.thread<id>.cpuprofile` (worker threads the case starts; with tsx's `--import
 * tsx/esm`, Node 20 also runs the module loader hooks on a thread of their own). One fixed `--cpu-prof-name` for
 * the child would have every thread write the same file, the last to exit winning: on a loaded machine that was the
 * loader thread's profile, with none of the case in it. Call frames are rewritten to TypeScript files and lines
 * with the source maps the child wrote beside its profiles (`_source-maps.ts`). The case's directory is removed.
 * @param caseDir - The directory passed as `--cpu-prof-dir`.
 * @param profileDir - Where the run's profiles go.
 * @param name - The main thread's file name ({@link cpuProfileFileName}).
 * @returns the main thread's profile path, or null when the child wrote none
 */
export function collectCpuProfiles(caseDir: string, profileDir: string, name: string): string | null {
  let main: string | null = null
  try {
    const maps = readSourceMaps(caseDir)
    for (const file of readdirSync(caseDir)) {
      const m = NODE_PROFILE.exec(file)
      if (m === null) continue
      const thread = Number(m[1])
      const target = path.join(
        profileDir,
        thread === 0 ? name : name.replace(/\.cpuprofile$/, `.thread${thread}.cpuprofile`),
      )
      moveMapped(path.join(caseDir, file), target, maps)
      if (thread === 0) main = target
    }
  } finally {
    rmSync(caseDir, { recursive: true, force: true })
  }
  return main
}

/** Moves a profile to `target`, its call frames source-mapped when the child left maps (else a plain rename). */
function moveMapped(from: string, target: string, maps: ReturnType<typeof readSourceMaps>): void {
  if (Object.keys(maps).length > 0) {
    try {
      const profile = JSON.parse(readFileSync(from, 'utf8')) as Parameters<typeof applySourceMaps>[0]
      if (applySourceMaps(profile, maps) > 0) {
        writeFileSync(target, JSON.stringify(profile))
        rmSync(from)
        return
      }
    } catch {
      // not a profile we can parse: keep it as written
    }
  }
  renameSync(from, target)
}

/**
 * Top functions by self time of a V8 `.cpuprofile` (`node --cpu-prof`). Sample `i` is charged the
 * time until sample `i + 1` (as Chrome DevTools does); `(idle)` is left out of the total.
 *
 * @param profile - Parsed `.cpuprofile` JSON.
 * @param top - How many functions. @default 10
 * @returns Functions, largest self time first.
 */
export function topSelfTime(profile: unknown, top = 10): ProfileFunction[] {
  const p = profile as CpuProfile
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) {
    throw new Error('cpu profile: Expected `nodes`, `samples` and `timeDeltas` arrays')
  }
  const keyOf = new Map<number, string>()
  const info = new Map<string, { name: string; location: string; us: number }>()
  for (const n of p.nodes) {
    const cf = n.callFrame
    const location = where(cf.url, cf.lineNumber, cf.columnNumber)
    const key = `${cf.functionName}\u0000${location}`
    keyOf.set(n.id, key)
    if (!info.has(key)) info.set(key, { name: cf.functionName || '(anonymous)', location, us: 0 })
  }
  let total = 0
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0
    const fn = info.get(keyOf.get(p.samples[i]!) ?? '')
    if (!fn || fn.name === '(idle)') continue
    fn.us += dt
    total += dt
  }
  return [...info.values()]
    .filter((f) => f.us > 0 && f.name !== '(idle)')
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((f) => ({
      name: f.name,
      location: f.location,
      self_ms: f.us / 1000,
      pct: total > 0 ? (f.us / total) * 100 : 0,
    }))
}

/**
 * Reads a `.cpuprofile` and renders its top functions by self time as text lines.
 *
 * @param file - Path of the profile.
 * @param top - How many functions. @default 10
 * @returns Text: a header line, then one line per function.
 */
export function summarizeCpuProfile(file: string, top = 10): string {
  const fns = topSelfTime(JSON.parse(readFileSync(file, 'utf8')), top)
  const lines = [`  top ${fns.length} functions by self time (${file}):`]
  for (const f of fns) {
    lines.push(
      `  ${f.pct.toFixed(1).padStart(5)}%  ${f.self_ms.toFixed(1).padStart(8)} ms  ${f.name}${f.location ? `  ${f.location}` : ''}`,
    )
  }
  return lines.join('\n')
}
