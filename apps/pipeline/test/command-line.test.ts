import { describe, expect, it } from 'vitest'
import { choiceOption, COMMANDS, helpText, numberOption, parseCommandLine } from '../src/command-line.ts'
import { UsageError } from '../src/errors.ts'

const usage = (fn: () => unknown): UsageError => {
  try {
    fn()
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error('expected a UsageError')
}

describe('parseCommandLine', () => {
  it('reads a command, its options and positionals (a leading -- from pnpm is dropped)', () => {
    expect(parseCommandLine(['--', 'run', '--cached', '--universe', 'u.txt', '-q'])).toEqual({
      command: 'run',
      values: { cached: true, universe: 'u.txt', quiet: true },
      positionals: [],
    })
    expect(parseCommandLine(['cache', 'stats'])).toMatchObject({ command: 'cache', positionals: ['stats'] })
  })

  it('help and version in every spelling', () => {
    expect(parseCommandLine([])).toEqual({ command: 'help', topic: null })
    expect(parseCommandLine(['-h'])).toEqual({ command: 'help', topic: null })
    expect(parseCommandLine(['help', 'run'])).toEqual({ command: 'help', topic: 'run' })
    expect(parseCommandLine(['generate', '--help'])).toEqual({ command: 'help', topic: 'generate' })
    expect(parseCommandLine(['-v'])).toEqual({ command: 'version' })
  })

  it('usage errors name the command whose help applies', () => {
    expect(usage(() => parseCommandLine(['nope'])).command).toBe(null)
    expect(usage(() => parseCommandLine(['--cached'])).message).toBe('ttapi: expected a command before `--cached`')
    const e = usage(() => parseCommandLine(['run', '--cached=yes']))
    expect(e.command).toBe('run')
    expect(e.message).toMatch(/^ttapi run: option '--cached' does not take an argument/)
    expect(usage(() => parseCommandLine(['run', 'extra'])).message).toBe('ttapi run: unexpected argument `extra`')
  })
})

describe('option values', () => {
  it('numberOption checks range and integrality and names what it got', () => {
    expect(numberOption('run', 'concurrency', '8', { min: 1, integer: true })).toBe(8)
    expect(numberOption('run', 'concurrency', undefined, { min: 1 })).toBeUndefined()
    expect(usage(() => numberOption('run', 'concurrency', '1.5', { min: 1, integer: true })).message).toBe(
      'ttapi run: expected --concurrency to be an integer from 1 up, got `1.5`',
    )
    expect(usage(() => numberOption('run', 'max-failure-share', 'half', { min: 0, max: 1 })).message).toBe(
      'ttapi run: expected --max-failure-share to be a number from 0 to 1, got `half`',
    )
  })

  it('choiceOption accepts only the listed values', () => {
    expect(choiceOption('run', 'format', 'csv', ['metastock', 'csv'])).toBe('csv')
    expect(usage(() => choiceOption('run', 'format', 'xlsx', ['metastock', 'csv'])).message).toBe(
      'ttapi run: expected --format to be one of metastock, csv, got `xlsx`',
    )
  })
})

describe('helpText', () => {
  it('documents every option of every command', () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const text = helpText(name)
      for (const option of Object.keys(spec.options)) expect(text, `${name} --${option}`).toContain(`--${option}`)
    }
  })

  it('fits a 100-column terminal: no line of any help is wider', () => {
    for (const name of [null, ...Object.keys(COMMANDS)]) {
      const wide = helpText(name)
        .split('\n')
        .filter((line) => [...line].length > 100)
      expect(wide, `${name ?? 'ttapi'} --help`).toEqual([])
    }
  })
})
