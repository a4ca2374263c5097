import { describe, expect, it } from 'vitest'
import { colorEnabled, isCi, Terminal } from '../src/terminal.ts'

function capture(options: { tty: boolean; ci?: boolean; quiet?: boolean; color?: boolean }): {
  terminal: Terminal
  out: string[]
  err: string[]
} {
  const out: string[] = []
  const err: string[] = []
  const terminal = new Terminal({
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stderrIsTTY: options.tty,
    color: options.color ?? false,
    ci: options.ci ?? false,
    quiet: options.quiet ?? false,
  })
  return { terminal, out, err }
}

describe('colorEnabled / isCi', () => {
  it('colours only on a TTY, never with a non-empty NO_COLOR or TERM=dumb', () => {
    expect(colorEnabled(true, {})).toBe(true)
    expect(colorEnabled(false, {})).toBe(false)
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false)
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true)
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false)
  })

  it('reads CI', () => {
    expect(isCi({ CI: 'true' })).toBe(true)
    expect(isCi({ CI: '1' })).toBe(true)
    expect(isCi({ CI: 'false' })).toBe(false)
    expect(isCi({ CI: '0' })).toBe(false)
    expect(isCi({})).toBe(false)
  })
})

describe('Terminal progress', () => {
  it('plain lines off a TTY: a start line, one line per quarter crossed, the result', () => {
    const { terminal, err } = capture({ tty: false })
    const p = terminal.progress('symbol collection', 100, 'symbols')
    for (let i = 1; i <= 100; i++) p.update(i)
    p.finish('symbol collection: done')
    expect(err.join('')).toBe(
      [
        'symbol collection: started (100 symbols)',
        'symbol collection: 25% (25/100 symbols)',
        'symbol collection: 50% (50/100 symbols)',
        'symbol collection: 75% (75/100 symbols)',
        'symbol collection: done',
        '',
      ].join('\n'),
    )
  })

  it('a jump prints one line for the highest quarter crossed', () => {
    const { terminal, err } = capture({ tty: false })
    const p = terminal.progress('import', 4, 'files')
    p.update(3)
    p.update(4)
    expect(err.join('')).toBe('import: started (4 files)\nimport: 75% (3/4 files)\n')
  })

  it('a redrawn bar on a TTY, cleared before the result line', () => {
    const { terminal, err } = capture({ tty: true })
    const p = terminal.progress('analysis', 10, 'symbols')
    p.update(10)
    p.finish('analysis: done')
    const text = err.join('')
    expect(text).toMatch(/^\ranalysis +█{20} 10\/10 symbols/)
    expect(text.endsWith('\r\u001b[Kanalysis: done\n')).toBe(true)
  })

  it('--quiet and CI: no bars; quiet also drops notes but keeps results and warnings', () => {
    for (const opts of [
      { tty: true, quiet: true },
      { tty: true, ci: true },
    ]) {
      const { terminal, err } = capture(opts)
      expect(terminal.bars).toBe(false)
      terminal.progress('x', 4, 'files').update(4)
      terminal.info('a note')
      terminal.result('a result')
      terminal.warn('a warning')
      const text = err.join('')
      expect(text).not.toContain('█')
      expect(text.includes('a note')).toBe(opts.quiet !== true)
      expect(text).toContain('a result\nwarning: a warning\n')
    }
  })

  it('colours only when asked', () => {
    expect(capture({ tty: true, color: true }).terminal.style.red('x')).toBe('\u001b[31mx\u001b[39m')
    expect(capture({ tty: true, color: false }).terminal.style.red('x')).toBe('x')
  })
})
