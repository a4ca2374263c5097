import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { locateCorpus } from '@ttapi/corpus'
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../src/_csv.ts'
import { normalizeSymbol } from '../src/normalize-symbol.ts'
import { sp500Source, sp500Symbols } from '../src/sp500-symbols.ts'

const corpus = locateCorpus()
const csvPath = join(corpus.dir ?? '', 'symbols/s-and-p-500-companies/data/constituents.csv')
const present = corpus.dir !== undefined && existsSync(csvPath)
if (corpus.dir === undefined) console.warn(`collector: ${corpus.reason}`)
else if (!present) console.warn(`collector: corpus file ${csvPath} absent; the comparison with it is skipped`)

describe('sp500Symbols', () => {
  it('is 503 unique canonical tickers including both class shares written with a dot', () => {
    expect(sp500Symbols).toHaveLength(503)
    expect(new Set(sp500Symbols).size).toBe(503)
    for (const s of sp500Symbols) expect(normalizeSymbol(s)).toBe(s)
    expect(sp500Symbols).toContain('BRK.B')
    expect(sp500Symbols).toContain('BF.B')
    expect(sp500Source.commit).toBe('56509dd80619e4d8e1410c2260d68ddd3eab6068')
  })

  describe.skipIf(!present)('against the corpus copy of datasets/s-and-p-500-companies', () => {
    it('equals the Symbol column of data/constituents.csv, in order', () => {
      const rows = parseCsv(readFileSync(csvPath, 'utf8'))
      expect(rows[0]!.fields[0]).toBe('Symbol')
      // PROVENANCE.md documents 503 rows for this file at commit 56509dd8.
      expect(rows.slice(1).map((r) => r.fields[0])).toEqual([...sp500Symbols])
    })
  })
})
