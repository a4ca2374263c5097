import { fitTable, wrap } from '../_text-width.ts'

/** How a terminal table fits a width: which columns may go (lower numbers go last) and which may be cut. */
export interface TableFit {
  /** Width to fit, in columns (Infinity keeps every column). */
  columns: number
  /** Header → drop priority; columns not named are never dropped. */
  drop?: Record<string, number>
  /** Headers whose cells may be cut with `…`. */
  shrink?: string[]
}

/**
 * An aligned text table, or a markdown table when `markdown`. Columns after the first right-align when
 * numeric-looking. With `fit`, the text table drops and cuts columns to fit its width and says which it left out.
 */
export function table(headers: string[], rows: string[][], markdown: boolean, fit?: TableFit): string {
  if (markdown) {
    const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`]
    for (const r of rows) lines.push(`| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`)
    return `${lines.join('\n')}\n`
  }
  const { lines, hidden, rule } = fitTable(
    headers.map((header, i) => ({
      header,
      right: i > 0 && rows.length > 0 && rows.every((r) => /^[\d.,]+(\s|$)/.test(r[i]!) || r[i] === '—'),
      drop: fit?.drop?.[header],
      shrink: fit?.shrink?.includes(header) ?? false,
    })),
    rows,
    fit?.columns ?? Infinity,
  )
  const note =
    hidden.length > 0
      ? wrap(`(${hidden.join(', ')} left out to fit ${fit!.columns} columns; --wide shows them)`, fit!.columns, 2)
      : []
  return `${[lines[0]!, rule, ...lines.slice(1), ...note].join('\n')}\n`
}
