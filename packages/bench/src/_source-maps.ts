// Source maps of a profiled child's TypeScript. tsx hands Node transformed code (whitespace-minified,
// so a whole module is line 1) with an inline source map; `--cpu-prof` records the transformed
// positions (`inject.ts:1:999`). The child writes the maps of every script it loaded beside its profile
// before it exits; the parent rewrites the profile's call frames to the TypeScript file and line.
import { readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { findSourceMap, SourceMap } from 'node:module'
import type { SourceMapPayload } from 'node:module'
import path from 'node:path'

/** The file, in the child's `--cpu-prof-dir`, holding `{ [script url]: source map payload }`. */
export const SOURCE_MAPS_FILE = 'source-maps.json'

/** The `--cpu-prof-dir` this process was started with, if any. */
function cpuProfDir(): string | undefined {
  const args = process.execArgv
  const i = args.indexOf('--cpu-prof-dir')
  if (i >= 0) return args[i + 1]
  return args.find((a) => a.startsWith('--cpu-prof-dir='))?.slice('--cpu-prof-dir='.length)
}

/**
 * In a child started with `--cpu-prof-dir`: writes the source map of every loaded script that has one
 * (tsx's inline maps, which Node caches: tsx enables source maps) to {@link SOURCE_MAPS_FILE} there.
 * The script list comes from the inspector (`Debugger.scriptParsed` replays every loaded script on
 * enable, synchronously on this thread). Never throws: a profile without maps keeps its raw positions.
 */
export function writeSourceMapsForProfile(): void {
  const dir = cpuProfDir()
  if (dir === undefined) return
  try {
    const urls = new Set<string>()
    const session = new Session()
    session.connect()
    session.on('Debugger.scriptParsed', (m) => {
      if (m.params.url.startsWith('file://')) urls.add(m.params.url)
    })
    session.post('Debugger.enable')
    session.post('Debugger.disable')
    session.disconnect()
    const maps: Record<string, SourceMapPayload> = {}
    for (const url of urls) {
      const map = findSourceMap(url)
      if (map !== undefined) maps[url] = map.payload
    }
    writeFileSync(path.join(dir, SOURCE_MAPS_FILE), JSON.stringify(maps))
  } catch {
    // best effort: the profile is still written, with transformed positions
  }
}

interface CallFrame {
  url: string
  lineNumber: number
  columnNumber: number
}

/**
 * Rewrites a parsed `.cpuprofile`'s call frames in place from transformed to original positions
 * (url, 0-based line and column) with the child's maps; frames without a map or mapping are kept.
 * @param profile - the parsed profile (`nodes[].callFrame`).
 * @param maps - `{ [script url]: payload }` as {@link writeSourceMapsForProfile} wrote it.
 * @returns how many call frames were mapped.
 */
export function applySourceMaps(
  profile: { nodes?: { callFrame?: CallFrame }[] },
  maps: Record<string, SourceMapPayload>,
): number {
  const cache = new Map<string, SourceMap>()
  let mapped = 0
  for (const node of profile.nodes ?? []) {
    const cf = node.callFrame
    if (cf === undefined || cf.lineNumber < 0) continue
    const payload = maps[cf.url]
    if (payload === undefined) continue
    let map = cache.get(cf.url)
    if (map === undefined) {
      map = new SourceMap(payload)
      cache.set(cf.url, map)
    }
    const entry = map.findEntry(cf.lineNumber, cf.columnNumber) as Partial<{
      originalSource: string
      originalLine: number
      originalColumn: number
    }>
    if (entry.originalSource === undefined || entry.originalLine === undefined) continue
    cf.url = entry.originalSource
    cf.lineNumber = entry.originalLine
    cf.columnNumber = entry.originalColumn ?? 0
    mapped++
  }
  return mapped
}

/** The maps a child wrote into `dir`, or `{}` when there are none or they cannot be read. */
export function readSourceMaps(dir: string): Record<string, SourceMapPayload> {
  try {
    return JSON.parse(readFileSync(path.join(dir, SOURCE_MAPS_FILE), 'utf8')) as Record<string, SourceMapPayload>
  } catch {
    return {}
  }
}
