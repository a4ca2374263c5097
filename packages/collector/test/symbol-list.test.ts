import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SymbolFileError } from '../src/errors.ts'
import { loadSymbols, parseSymbolText, readSymbolFile, symbolList } from '../src/symbol-list.ts'

describe('symbolList', () => {
  it('keeps first occurrences and reports duplicates (across class-share spellings) and invalid entries', () => {
    const { symbols, issues } = symbolList(['AAPL', 'brk-b', 'MSFT', 'BRK.B', 'aapl', '^GSPC', ''])
    expect(symbols).toEqual(['AAPL', 'BRK.B', 'MSFT'])
    expect(issues.map((i) => [i.input, i.kind, i.symbol])).toEqual([
      ['BRK.B', 'duplicate', 'BRK.B'],
      ['aapl', 'duplicate', 'AAPL'],
      ['^GSPC', 'invalid', null],
      ['', 'invalid', null],
    ])
    expect(issues[2]!.message).toContain('"^GSPC"')
  })
})

describe('parseSymbolText', () => {
  it('reads one symbol a line, skipping blanks and comments, with line numbers in issues', () => {
    const { symbols, issues } = parseSymbolText('# my list\nAAPL\r\n\nmsft\nAAPL\nbad symbol here\n', 'list.txt')
    expect(symbols).toEqual(['AAPL', 'MSFT'])
    expect(issues.map((i) => [i.kind, i.line])).toEqual([
      ['duplicate', 5],
      ['invalid', 6],
    ])
  })

  it('takes a lone `Symbol` first line as the header of a one-column CSV', () => {
    expect(parseSymbolText('Symbol\nAAPL\nSYMBOL\n')).toEqual({ symbols: ['AAPL', 'SYMBOL'], issues: [] })
  })

  it('reads the Symbol column of a CSV with quoted fields, commas and newlines inside quotes, and a BOM', () => {
    const csv =
      '\ufeffName,"Symbol",Sector\n"Berkshire, Hathaway",BRK-B,Financials\n"A ""quoted""\nname",AAPL,Tech\nX,,Y\n'
    const { symbols, issues } = parseSymbolText(csv, 'u.csv')
    expect(symbols).toEqual(['BRK.B', 'AAPL'])
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ kind: 'invalid', input: '', line: 5 })
  })

  it('throws SymbolFileError naming the file when a CSV has no Symbol column', () => {
    expect(() => parseSymbolText('Ticker,Name\nAAPL,Apple\n', 'x.csv')).toThrow(SymbolFileError)
    expect(() => parseSymbolText('Ticker,Name\nAAPL,Apple\n', 'x.csv')).toThrow(/x\.csv.*no Symbol column/)
  })
})

describe('readSymbolFile / loadSymbols', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collector-symbols-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a real file, both layouts', async () => {
    await writeFile(join(dir, 'a.txt'), 'AAPL\nBF/B\n')
    await writeFile(join(dir, 'b.csv'), 'Symbol,Name\nMSFT,Microsoft\nmsft,dup\n')
    expect(await readSymbolFile(join(dir, 'a.txt'))).toEqual({ symbols: ['AAPL', 'BF.B'], issues: [] })
    const b = await loadSymbols({ file: join(dir, 'b.csv') })
    expect(b.symbols).toEqual(['MSFT'])
    expect(b.issues[0]).toMatchObject({ kind: 'duplicate', line: 3 })
  })

  it('reports a missing file as SymbolFileError with the path and the cause', async () => {
    const path = join(dir, 'nope.txt')
    const error = await readSymbolFile(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SymbolFileError)
    expect((error as Error).message).toContain(path)
    expect((error as Error).cause).toMatchObject({ code: 'ENOENT' })
  })

  it('loads sp500 and arrays', async () => {
    const sp = await loadSymbols('sp500')
    expect(sp.symbols).toHaveLength(503)
    expect(sp.issues).toEqual([])
    expect((await loadSymbols(['a', 'A'])).issues).toHaveLength(1)
  })
})
