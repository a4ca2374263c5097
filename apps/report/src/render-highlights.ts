import type { Highlight, Highlights } from './highlights.ts'

/** Options of {@link renderHighlightsMarkdown}. */
export interface HighlightsMarkdownOptions {
  /** Where links to a run's file point, relative to the page. @default 'benchmarks' */
  linkBase?: string
}

const day = (iso: string): string => iso.slice(0, 10)

function runLink(run: Highlight['run'], base: string): string {
  const commit = run.commit ? ` @${run.commit.slice(0, 7)}` : ''
  return `[run ${run.id}](${base}/${run.file})${commit}, ${day(run.startedAt)}`
}

const machineAnchor = (id: string): string => `machine-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`

/**
 * The "Performance Highlights" page in Markdown, for a README or a release: one bullet per figure
 * with the command that reproduces it, its run and its machine (linked), the regression-free line,
 * and the machines the links point to. Headlines without a run are listed as left out.
 *
 * @param h - The highlights.
 * @param o - Link base.
 * @returns Markdown text.
 */
export function renderHighlightsMarkdown(h: Highlights, o: HighlightsMarkdownOptions = {}): string {
  const base = o.linkBase ?? 'benchmarks'
  const out = ['## Performance Highlights', '']
  const machines = new Map<string, string>()
  for (const f of h.figures) {
    machines.set(f.machine.id, f.machine.name)
    out.push(
      `- **${f.title}: ${f.figure}** — ${f.detail}; ${runLink(f.run, base)} on [${f.machine.name}](#${machineAnchor(f.machine.id)}). ` +
        `Reproduce: \`${f.command}\``,
    )
  }
  if (h.streak !== null && h.streak.runs < 2 && h.streak.lastRegression !== null) {
    const s = h.streak
    const r = s.lastRegression!
    machines.set(s.machine.id, s.machine.name)
    out.push(
      `- **The newest ${h.label} run has a confirmed regression** against the one before it on ` +
        `[${s.machine.name}](#${machineAnchor(s.machine.id)}): ${r.cases.join(', ')} in ${runLink(r.run, base)} (\`pnpm report\`).`,
    )
  } else if (h.streak !== null) {
    const s = h.streak
    machines.set(s.machine.id, s.machine.name)
    const since = s.lastRegression
      ? ` (last confirmed regression: ${s.lastRegression.cases.join(', ')} in ${runLink(s.lastRegression.run, base)})`
      : ''
    out.push(
      `- **No confirmed regression on ${h.label} in ${s.capped ? 'at least ' : ''}${s.days} day${s.days === 1 ? '' : 's'}** ` +
        `(${s.runs} runs on [${s.machine.name}](#${machineAnchor(s.machine.id)}), ${runLink(s.from, base)} to ${runLink(s.to, base)})${since}; ` +
        `each run judged against the one before it by the gate (\`pnpm report\`).`,
    )
  }
  if (h.figures.length === 0 && h.streak === null)
    out.push(`No figures: the history holds no ${h.label} run with these cases.`)
  if (h.missing.length > 0)
    out.push(
      '',
      `Left out (no comparable run, not estimated): ${h.missing.map((m) => `${m.title} (${m.why})`).join('; ')}.`,
    )
  if (machines.size > 0) {
    out.push('', '### Machines', '')
    for (const [id, name] of machines)
      out.push(`- <a id="${machineAnchor(id)}"></a>\`${id}\`${name === id ? '' : `: ${name}`}`)
  }
  return `${out.join('\n')}\n`
}

const escape = (t: string): string =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * The highlights as a section of the HTML report: the same figures, commands, run and machine links
 * (runs link to their history file under `linkBase`, machines to their entry in the section).
 *
 * @param h - The highlights.
 * @param o - Link base.
 * @returns An HTML fragment (`<section id="highlights">`), escaped.
 */
export function renderHighlightsHtml(h: Highlights, o: HighlightsMarkdownOptions = {}): string {
  const base = o.linkBase ?? 'benchmarks'
  const run = (r: Highlight['run']): string =>
    `<a href="${escape(`${base}/${r.file}`)}">run ${escape(r.id)}</a>${r.commit ? ` @${escape(r.commit.slice(0, 7))}` : ''}, ${escape(day(r.startedAt))}`
  const machine = (m: { id: string; name: string }): string =>
    `<a href="#${escape(machineAnchor(m.id))}">${escape(m.name)}</a>`
  const items = h.figures.map(
    (f) =>
      `<li><b>${escape(f.title)}: ${escape(f.figure)}</b> — ${escape(f.detail)}; ${run(f.run)} on ${machine(f.machine)}. ` +
      `Reproduce: <code>${escape(f.command)}</code></li>`,
  )
  const s = h.streak
  if (s !== null && s.lastRegression !== null && s.runs < 2)
    items.push(
      `<li><b>The newest ${escape(h.label)} run has a confirmed regression</b> on ${machine(s.machine)}: ` +
        `${escape(s.lastRegression.cases.join(', '))} in ${run(s.lastRegression.run)}</li>`,
    )
  else if (s !== null)
    items.push(
      `<li><b>No confirmed regression on ${escape(h.label)} in ${s.capped ? 'at least ' : ''}${s.days} day${s.days === 1 ? '' : 's'}</b> ` +
        `(${s.runs} runs on ${machine(s.machine)}, ${run(s.from)} to ${run(s.to)})</li>`,
    )
  const machines = new Map([...h.figures.map((f) => f.machine), ...(s ? [s.machine] : [])].map((m) => [m.id, m.name]))
  const left = h.missing.length
    ? `<p>Left out (no comparable run, not estimated): ${escape(h.missing.map((m) => `${m.title} (${m.why})`).join('; '))}.</p>`
    : ''
  const list = [...machines].map(
    // A machine named by BENCH_MACHINE has its name as its id: said once.
    ([id, name]) =>
      `<li id="${escape(machineAnchor(id))}"><code>${escape(id)}</code>${name === id ? '' : `: ${escape(name)}`}</li>`,
  )
  return `<section id="highlights"><h2>Performance Highlights</h2><ul>${items.join('')}</ul>${left}<ul class="machines">${list.join('')}</ul></section>`
}
