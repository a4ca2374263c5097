// Terminal text that fits a width: display width, truncation, word wrap and tables that drop columns.

/** Default width when standard output is not a terminal. */
export const DEFAULT_COLUMNS = 100

// eslint-disable-next-line no-control-regex -- ANSI colour escapes start with ESC.
const ANSI = /\x1b\[[0-9;]*m/g

/** Display width in terminal columns: ANSI escapes 0, emoji 2, combining marks and variation selectors 0. */
export function displayWidth(s: string): number {
  let w = 0
  for (const ch of s.replace(ANSI, '')) {
    const cp = ch.codePointAt(0)!
    if (cp === 0xfe0f || (cp >= 0x300 && cp < 0x370) || cp === 0x200b) continue
    w += cp >= 0x1f000 || cp === 0x274c || cp === 0x2705 || cp === 0x2754 || cp === 0x2796 ? 2 : 1
  }
  return w
}

/** Cuts `s` (no ANSI escapes) to at most `width` columns, ending in `…` when cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s
  let out = ''
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break
    out += ch
  }
  return `${out}…`
}

/**
 * Word-wraps `text` to `width` columns; continuation lines start with `indent` spaces. A word longer
 * than a line (a path, a URL) is broken where it reaches the edge.
 */
export function wrap(text: string, width: number, indent = 0): string[] {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return [text]
  const pad = ' '.repeat(indent)
  const lines: string[] = []
  const lead = /^ */.exec(text)![0]
  let line = lead
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line.trim() === '' ? `${line}${word}` : `${line} ${word}`
    if (displayWidth(candidate) <= width || line.trim() === '') {
      line = candidate
    } else {
      lines.push(line)
      line = `${pad}${word}`
    }
    while (displayWidth(line) > width) {
      let head = ''
      for (const ch of line) {
        if (displayWidth(head + ch) > width) break
        head += ch
      }
      lines.push(head)
      line = `${pad}${line.slice(head.length)}`
    }
  }
  if (line.trim() !== '') lines.push(line)
  return lines
}

/** A column of {@link fitTable}. */
export interface FitColumn {
  /** Header text. */
  header: string
  /** Right-align (numbers). @default false */
  right?: boolean
  /** Drop priority: the highest number goes first; columns without one are never dropped. */
  drop?: number
  /** Cut this column's cells with `…` when the table is still too wide after dropping. @default false */
  shrink?: boolean
}

/**
 * Lays out an aligned table in at most `width` columns: optional columns are dropped (highest
 * `drop` first) until it fits, then `shrink` columns are cut. Returns the header line then one line per
 * row, the headers left out (empty optional columns are left out silently) and a rule under the header.
 */
export function fitTable(
  columns: FitColumn[],
  rows: string[][],
  width: number,
  indent = '',
): { lines: string[]; hidden: string[]; rule: string } {
  const gap = 2
  let keep = columns.map((_, i) => i)
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const total = (idx: number[]): number =>
    displayWidth(indent) + idx.reduce((a, i) => a + widths[i]!, 0) + gap * (idx.length - 1)
  // Long names are cut to a readable length before any figure is dropped, and further only after.
  const shrink = (floor: number): void => {
    for (const i of keep.filter((k) => columns[k]!.shrink === true)) {
      const over = total(keep) - width
      if (over <= 0) break
      widths[i] = Math.min(widths[i]!, Math.max(displayWidth(columns[i]!.header), floor, widths[i]! - over))
    }
  }
  // An optional column with nothing in it goes first.
  for (const [i, c] of columns.entries())
    if (c.drop !== undefined && rows.every((r) => (r[i] ?? '') === '')) keep = keep.filter((k) => k !== i)
  const droppable = columns
    .map((c, i) => ({ i, drop: c.drop }))
    .filter((c) => c.drop !== undefined)
    .sort((a, b) => b.drop! - a.drop! || b.i - a.i)
  shrink(30)
  for (const d of droppable) {
    if (total(keep) <= width) break
    keep = keep.filter((i) => i !== d.i)
  }
  shrink(8)
  const line = (cells: string[]): string => {
    const parts = keep.map((i, k) => {
      const w = widths[i]!
      const cell = truncate(cells[i] ?? '', w)
      const padding = ' '.repeat(Math.max(0, w - displayWidth(cell)))
      const last = k === keep.length - 1
      if (columns[i]!.right === true) return padding + cell
      return last ? cell : cell + padding
    })
    return truncate(`${indent}${parts.join(' '.repeat(gap))}`.trimEnd(), width)
  }
  const lines = [line(columns.map((c) => c.header)), ...rows.map((r) => line(r))]
  const hidden = columns
    .filter((c, i) => !keep.includes(i) && rows.some((r) => (r[i] ?? '') !== ''))
    .map((c) => c.header)
  const rule = truncate(`${indent}${keep.map((i) => '-'.repeat(widths[i]!)).join(' '.repeat(gap))}`, width)
  return { lines, hidden, rule }
}
