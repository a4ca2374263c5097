// Icicle graphs of `--cpu-prof` profiles as inline SVG, one side or the difference of two (CodSpeed's
// differential flame graph): the root on top, each child below its caller, widths by total time.

/** One frame of the merged call tree: every call path to it with the same function and location. */
export interface FlameNode {
  /** Function name (`(anonymous)` when V8 has none). */
  name: string
  /** `file:line` (source-mapped by the harness), or '' for V8's own frames. */
  location: string
  /** Time in this frame and below, µs. */
  total: number
  /** Time in this frame itself, µs. */
  self: number
  /** Callees, largest first. */
  children: FlameNode[]
}

/** Options of {@link flameSvg}. */
export interface FlameSvgOptions {
  /** The other side: colour each frame by its change of share (red grew, blue shrank) instead of by name. */
  baseline?: FlameNode
  /** Frames narrower than this share of the root are left out. @default 0.004 */
  minShare?: number
  /** Deepest level drawn. @default 40 */
  maxDepth?: number
  /** Accessible title of the graph. */
  title?: string
}

interface ProfileShape {
  nodes: Array<{
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    children?: number[]
  }>
  samples: number[]
  timeDeltas: number[]
}

/**
 * The call tree of a `.cpuprofile` with sampled times (µs, from `timeDeltas`); `(idle)` is left out,
 * and siblings with the same function and location are merged.
 * @param profile - the parsed `.cpuprofile` JSON.
 */
export function flameTree(profile: unknown): FlameNode {
  const p = profile as ProfileShape
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas))
    throw new Error('cpu profile: expected `nodes`, `samples` and `timeDeltas` arrays')
  const self = new Map<number, number>()
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0))
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const hasParent = new Set(p.nodes.flatMap((n) => n.children ?? []))
  const build = (id: number, depth: number): FlameNode | null => {
    const n = byId.get(id)
    if (n === undefined || depth > 500) return null
    const name = n.callFrame.functionName || '(anonymous)'
    if (name === '(idle)') return null
    const node: FlameNode = {
      name,
      location: where(n.callFrame.url, n.callFrame.lineNumber),
      total: 0,
      self: self.get(id) ?? 0,
      children: [],
    }
    const merged = new Map<string, FlameNode>()
    for (const c of n.children ?? []) {
      const child = build(c, depth + 1)
      if (child === null) continue
      const key = `${child.name}\u0000${child.location}`
      const same = merged.get(key)
      if (same === undefined) merged.set(key, child)
      else mergeInto(same, child)
    }
    node.children = [...merged.values()]
    return node
  }
  const roots = p.nodes.filter((n) => !hasParent.has(n.id)).map((n) => build(n.id, 0))
  const root: FlameNode = { name: 'all', location: '', total: 0, self: 0, children: [] }
  for (const r of roots) if (r !== null) root.children.push(...(r.name === '(root)' ? r.children : [r]))
  root.self = roots.reduce((a, r) => a + (r?.name === '(root)' ? r.self : 0), 0)
  sum(root)
  return root
}

function mergeInto(a: FlameNode, b: FlameNode): void {
  a.self += b.self
  for (const c of b.children) {
    const same = a.children.find((x) => x.name === c.name && x.location === c.location)
    if (same === undefined) a.children.push(c)
    else mergeInto(same, c)
  }
}

function sum(n: FlameNode): number {
  n.total = n.self + n.children.reduce((a, c) => a + sum(c), 0)
  n.children.sort((a, b) => b.total - a.total)
  return n.total
}

/** `file:///x/packages/cache/src/ttl-cache.ts`, line 41 (0-based 40) → `cache/src/ttl-cache.ts:41`. */
function where(url: string, line: number): string {
  if (url === '') return ''
  const parts = url.replace(/^file:\/\//, '').split('/')
  return `${parts.slice(-3).join('/')}:${line + 1}`
}

const ROW = 22
const WIDTH = 1000

/**
 * One self-contained `<svg>` icicle of `root` (widths by total time, a `<title>` per frame with its
 * share and location). With `baseline`, a differential graph: the frames of `root` coloured by how their
 * share of the time changed since the baseline (red: grew, blue: shrank, grey: same or new).
 */
export function flameSvg(root: FlameNode, options: FlameSvgOptions = {}): string {
  const minShare = options.minShare ?? 0.004
  const maxDepth = options.maxDepth ?? 40
  const base = options.baseline
  const baseShare = new Map<string, number>()
  if (base !== undefined) collectShares(base, '', base.total || 1, baseShare)
  const rects: string[] = []
  let depth = 0
  const visit = (n: FlameNode, x: number, level: number, path: string): void => {
    const w = root.total > 0 ? (n.total / root.total) * WIDTH : 0
    if (w < minShare * WIDTH || level > maxDepth) return
    depth = Math.max(depth, level)
    const key = `${path}/${n.name}\u0000${n.location}`
    const share = root.total > 0 ? n.total / root.total : 0
    let fill: string
    let change = ''
    if (base !== undefined) {
      const before = baseShare.get(key)
      const delta = before === undefined ? null : share - before
      fill = diffColour(delta)
      change = delta === null ? ', new' : `, ${delta >= 0 ? '+' : '−'}${Math.abs(delta * 100).toFixed(1)} pp`
    } else fill = nameColour(n.name)
    const label = `${n.name}${n.location ? ` ${n.location}` : ''}`
    const title = `${label} — ${(share * 100).toFixed(1)}% total, ${((n.self / (root.total || 1)) * 100).toFixed(1)}% self${change}`
    const chars = Math.floor((w - 6) / 8.2)
    const text =
      chars >= 3
        ? `<text x="${(x + 3).toFixed(1)}" y="${level * ROW + 15}">${esc(label.length > chars ? `${label.slice(0, chars - 1)}…` : label)}</text>`
        : ''
    rects.push(
      `<g><title>${esc(title)}</title><rect x="${x.toFixed(1)}" y="${level * ROW}" width="${Math.max(0.5, w - 0.5).toFixed(1)}" height="${ROW - 1}" fill="${fill}"/>${text}</g>`,
    )
    let cx = x
    for (const c of n.children) {
      visit(c, cx, level + 1, key)
      cx += root.total > 0 ? (c.total / root.total) * WIDTH : 0
    }
  }
  visit(root, 0, 0, '')
  const height = (depth + 1) * ROW
  return `<svg class="flame" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${esc(options.title ?? 'flame graph')}" font-family="ui-monospace,Menlo,Consolas,monospace" font-size="13.5">${rects.join('')}</svg>`
}

function collectShares(n: FlameNode, path: string, total: number, out: Map<string, number>): void {
  const key = `${path}/${n.name}\u0000${n.location}`
  out.set(key, (out.get(key) ?? 0) + n.total / total)
  for (const c of n.children) collectShares(c, key, total, out)
}

function nameColour(name: string): string {
  let h = 0
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0
  // Warm hues (red to yellow), as flame graphs are drawn.
  return `hsl(${(h % 50) + 5} 80% ${62 + (h % 14)}%)`
}

function diffColour(delta: number | null): string {
  if (delta === null) return 'hsl(220 10% 82%)'
  const strength = Math.min(1, Math.abs(delta) / 0.1)
  if (strength < 0.05) return 'hsl(220 8% 88%)'
  return delta > 0 ? `hsl(0 75% ${92 - 40 * strength}%)` : `hsl(215 75% ${92 - 40 * strength}%)`
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
