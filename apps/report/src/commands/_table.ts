/** An aligned text table, or a markdown table when `markdown`. Columns after the first right-align when numeric-looking. */
export function table(headers: string[], rows: string[][], markdown: boolean): string {
  if (markdown) {
    const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`]
    for (const r of rows) lines.push(`| ${r.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`)
    return `${lines.join('\n')}\n`
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i > 0 && /^[\d.,]+(\s|$)/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return `${[line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`
}
