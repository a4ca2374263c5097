// Every MetaStock file of the shared corpus, checked against PROVENANCE.md (its rows, as committed in the corpus
// manifest's notes, so a downloaded .corpus/ is checked the same): each data file's symbol, field count,
// row count and date range as listed there, the per-source totals and quirks it documents, and the issues the
// gityoav directory must raise (its three index files come from different databases).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadManifest } from '@ttapi/corpus'
import { describe, expect, it } from 'vitest'
import { importMetaStock, readMetaStock, type MetaStockResult } from '../../src/index.ts'
import { CORPUS, HAS_CORPUS as present } from '../csv/_corpus.ts'

const OKO = join(CORPUS, 'metastock/okomarov-metastockread/sampleData')
const GIT = join(CORPUS, 'metastock/gityoav-metastock2pd/data')

interface Expected {
  file: string
  symbol: string
  fields: number
  rows: number
  first: string
  last: string
}

/** The data-file rows of PROVENANCE.md (the manifest's path and notes columns), in its two note styles. */
function provenance(): Expected[] {
  const out: Expected[] = []
  const iso = (ymd: string): string =>
    ymd.includes('-') ? ymd : `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}`
  for (const { path, notes: note } of loadManifest().files) {
    if (!/^metastock\/.+\.(?:DAT|MWD|dat|mwd)$/.test(path)) continue
    const line = `${path}: ${note}`
    const a = /symbol '([^']+)' \(.*\), (\d) fields, (\d+) rows, (\d{8})\.\.(\d{8})/.exec(note)
    const b = /^(\S+), (\d) fields, (\d+) rows (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)/.exec(note)
    const m = a ?? b
    if (m === null) throw new Error(`PROVENANCE row not understood: ${line}`)
    out.push({
      file: path,
      symbol: m[1]!,
      fields: Number(m[2]),
      rows: Number(m[3]),
      first: iso(m[4]!),
      last: iso(m[5]!),
    })
  }
  return out
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000

describe.skipIf(!present)('MetaStock corpus (PROVENANCE.md)', () => {
  let tree: MetaStockResult
  let git: MetaStockResult

  it('imports the okomarov tree (daily + Intraday/) in parallel with no issues', async () => {
    tree = await importMetaStock(join(CORPUS, 'metastock/okomarov-metastockread'), { workers: 2 })
    expect(tree.issues).toEqual([])
    // PROVENANCE: 48,555 daily rows over 462 index entries + the Intraday FIB30 file of 64,885 rows.
    expect(tree.files.length).toBe(463)
    expect(tree.table.length).toBe(48_555 + 64_885)
    expect(tree.table.close.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('matches every listed data file: symbol, fields, rows, first and last date', () => {
    git = readMetaStock(GIT)
    const expected = provenance()
    expect(expected.length).toBe(462 + 1 + 2)
    const byPath = new Map([...tree.files, ...git.files].map((f) => [f.file, f]))
    for (const e of expected) {
      const f = byPath.get(join(CORPUS, e.file))
      expect(f, e.file).toBeDefined()
      expect([f!.symbol, f!.fields, f!.rows], e.file).toEqual([e.symbol, e.fields, e.rows])
      expect([f!.firstDate, f!.lastDate], e.file).toEqual([day(e.first), day(e.last)])
      // The table rows of the file carry its symbol and the same dates.
      const t = e.file.includes('gityoav') ? git.table : tree.table
      expect(t.symbols[t.symbol[f!.start]!]).toBe(e.symbol)
      expect(t.date[f!.start]).toBe(day(e.first))
      expect(t.date[f!.start + f!.rows - 1]).toBe(day(e.last))
    }
  })

  it("reads record 1 as metastockread's help documents: ASR, A.S. ROMA, 127 x 7, 2010-01-04..2010-07-09, D", () => {
    const r = readMetaStock(OKO)
    const f = r.files[0]!
    expect([f.index, f.fileNumber, f.symbol, f.name, f.periodicity, f.rows, f.fields]).toEqual([
      'MASTER',
      1,
      'ASR',
      'A.S. ROMA',
      'D',
      127,
      7,
    ])
    expect([f.firstDate, f.lastDate]).toEqual([day('2010-01-04'), day('2010-07-09')])
    // MASTER covers F1..F255 (.DAT), XMASTER F256..F462 (.MWD): the union is needed (FORMAT.md §1).
    expect(r.files.filter((x) => x.index === 'MASTER').length).toBe(255)
    expect(r.files.filter((x) => x.index === 'XMASTER').map((x) => x.fileNumber)).toEqual(
      Array.from({ length: 207 }, (_, i) => 256 + i),
    )
    expect(r.table.length).toBe(48_555)
  })

  it('keeps the quirks PROVENANCE counts: 607 rows with open/close outside [low, high], 1,108 with volume 0', () => {
    const t = readMetaStock(OKO).table
    let outside = 0
    let zeroVolume = 0
    for (let i = 0; i < t.length; i++) {
      const lo = t.low[i]!
      const hi = t.high[i]!
      if (t.open[i]! < lo || t.open[i]! > hi || t.close[i]! < lo || t.close[i]! > hi) outside++
      if (t.volume[i] === 0) zeroVolume++
    }
    expect(outside).toBe(607)
    expect(zeroVolume).toBe(1_108)
    expect(t.openInterest!.every((v) => v === 0)).toBe(true)
  })

  it('decodes values as an independent IEEE-bits conversion of the raw bytes does (FORMAT.md §7)', () => {
    const r = readMetaStock(OKO)
    for (const [n, name] of [
      [0, 'F1.DAT'],
      [461, 'F462.MWD'],
    ] as const) {
      const bytes = readFileSync(join(OKO, name))
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      const scratch = new DataView(new ArrayBuffer(4))
      const mbf = (o: number): number => {
        const b3 = view.getUint8(o + 3)
        if (b3 === 0) return 0
        const b2 = view.getUint8(o + 2)
        const bits = ((b2 & 0x80) << 24) | ((b3 - 2) << 23) | ((b2 & 0x7f) << 16) | view.getUint16(o, true)
        scratch.setUint32(0, bits >>> 0)
        return scratch.getFloat32(0)
      }
      const f = r.files[n]!
      for (let k = 0; k < f.rows; k++) {
        const o = 28 * (k + 1)
        const row = f.start + k
        expect([
          r.table.open[row],
          r.table.high[row],
          r.table.low[row],
          r.table.close[row],
          r.table.volume[row],
        ]).toEqual([mbf(o + 4), mbf(o + 8), mbf(o + 12), mbf(o + 16), mbf(o + 20)])
      }
    }
    // FORMAT.md §5: okomarov's F462 has prices of 0.0001 (read back as float32 0.0001).
    const f462 = r.files[461]!
    expect(Array.from(r.table.low.subarray(f462.start, f462.start + f462.rows))).toContain(Math.fround(0.0001))
  })

  it('reads the 8-field Intraday file: date then time, 64,885 rows (header 64,886 counts itself)', () => {
    const r = readMetaStock(join(OKO, 'Intraday'))
    expect(r.issues).toEqual([])
    expect(r.files[0]).toMatchObject({ symbol: 'FIB30', fields: 8, periodicity: 'I', rows: 64_885 })
    // First record from the raw bytes: time 91600 sits at word 1, open at word 2.
    const bytes = readFileSync(join(OKO, 'Intraday/F1.DAT'))
    expect(bytes.readUInt16LE(2)).toBe(64_886)
    expect(bytes.length / 32).toBe(64_886)
    expect(r.table.open[0]).toBe(23_785)
    expect(r.table.date[0]).toBe(day('2003-01-02'))
  })

  it('reports the gityoav directory: 420 missing files, EMASTER from another database, OI and 1YYMMDD dates', () => {
    const codes = new Map<string, number>()
    for (const i of git.issues) codes.set(i.code, (codes.get(i.code) ?? 0) + 1)
    // master: 128 records, only F1.dat present (127 missing); xmaster: 294 records, only F548.mwd (293 missing).
    expect(Object.fromEntries(codes)).toEqual({ 'missing-file': 127 + 293, 'index-conflict': 1 })
    const conflict = git.issues.find((i) => i.code === 'index-conflict')!
    expect(conflict.message).toContain("128 of 128 shared file numbers (F1 MASTER 'TU2__1990U' vs EMASTER 'HO2__1979")
    expect(git.issues.find((i) => i.code === 'missing-file')!.file).toBe(join(GIT, 'F2.DAT'))
    expect(git.files.map((f) => [f.symbol, f.rows])).toEqual([
      ['TU2__1990U', 62],
      ['HO2__2024Z', 251],
    ])
    expect(git.files[1]!.name).toBe('Heating Oil C 202412')
    const oi = git.table.openInterest!.subarray(0, 62)
    expect(oi.some((v) => v > 0)).toBe(true)
    // `00 00 00 02` words (FORMAT.md §7.3) read as exactly 0, never as 5.9e-39.
    expect(git.table.volume.every((v) => v === 0 || v >= 1)).toBe(true)
    expect(git.table.openInterest!.every((v) => v === 0 || v >= 1)).toBe(true)
  })
})
