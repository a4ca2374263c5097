import { buildHighlights } from '../highlights.ts'
import { renderHighlightsMarkdown } from '../render-highlights.ts'
import { COMMON_OPTIONS, emit, loadInputs, parse, pickFormat } from './_common.ts'
import type { CommandIO } from './_common.ts'

/** `report highlights`: the Performance Highlights page from the history (Markdown or JSON). */
export async function highlightsCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(argv, { ...COMMON_OPTIONS, 'link-base': { type: 'string' } }, false)
  if (values.help) {
    io.stdout(
      'Usage: report highlights [--format md|json] [--history DIR] [--config FILE] [--link-base PATH] [--out FILE]\n' +
        '  Headline ratios from the newest baseline-label run holding their cases, with the commands that\n' +
        '  reproduce them, and the regression-free streak from the gate verdicts. --link-base: where run\n' +
        '  links point (default benchmarks).\n',
    )
    return 0
  }
  const format = pickFormat(values.format, ['md', 'json'], 'md')
  const { history, config } = await loadInputs(values, io)
  const h = buildHighlights(history, config)
  const text =
    format === 'json'
      ? `${JSON.stringify(h, null, 2)}\n`
      : renderHighlightsMarkdown(h, { linkBase: values['link-base'] })
  emit(text, values.out, io)
  return 0
}
