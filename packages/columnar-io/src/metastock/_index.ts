// MetaStock directory scanning: the MASTER / EMASTER / XMASTER index files (FORMAT.md §2-4) and the data files they
// name. Every defect becomes an issue; records that cannot be trusted are left out, the rest goes on.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { MetaStockIssue } from '../types.ts'

/** One security an index describes, with its data file once found. */
export interface IndexEntry {
  index: 'MASTER' | 'EMASTER' | 'XMASTER'
  fileNumber: number
  ext: 'DAT' | 'MWD'
  symbol: string
  name: string
  fields: number
  periodicity: string
  /** Byte offset of the index record, for messages. */
  offset: number
}

/** A data file to import: its entry, path and size. */
export interface DataFile extends IndexEntry {
  path: string
  size: number
}

export interface ScannedDirectory {
  files: DataFile[]
  issues: MetaStockIssue[]
  subdirectories: string[]
}

const MASTER_LEN = 53
const EMASTER_LEN = 192
const XMASTER_LEN = 150

/** Latin-1 text of `bytes[start, end)`, cut at the first NUL, spaces trimmed. */
function text(bytes: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) {
    const c = bytes[i]!
    if (c === 0) break
    s += String.fromCharCode(c)
  }
  return s.trim()
}

/** A plausible symbol: 1..16 printable ASCII characters. */
function validSymbol(s: string): boolean {
  return s.length > 0 && !/[^\x20-\x7e]/.test(s)
}

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8)
const u32le = (b: Uint8Array, o: number): number =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0

function popcount(x: number): number {
  let n = 0
  for (; x !== 0; x &= x - 1) n++
  return n
}

interface Parsed {
  entries: IndexEntry[]
  /** The file was unusable as a whole (too short, wrong size for its kind). */
  broken: boolean
}

function recordsOf(
  path: string,
  name: string,
  bytes: Uint8Array,
  recLen: number,
  countAt: number,
  issues: MetaStockIssue[],
): number {
  const full = Math.floor(bytes.length / recLen)
  if (bytes.length % recLen !== 0) {
    issues.push({
      file: path,
      offset: full * recLen,
      code: 'corrupt-index',
      message: `metastock: ${name} is ${bytes.length} bytes, not a whole number of ${recLen}-byte records; ${bytes.length % recLen} trailing bytes ignored`,
    })
  }
  const available = Math.max(0, full - 1)
  const count = u16(bytes, countAt)
  if (count > available) {
    issues.push({
      file: path,
      offset: countAt,
      code: 'corrupt-index',
      message: `metastock: ${name} header says ${count} records but the file holds ${available}`,
    })
  }
  return available
}

function badRecord(path: string, name: string, offset: number, what: string, issues: MetaStockIssue[]): void {
  issues.push({
    file: path,
    offset,
    code: 'corrupt-index',
    message: `metastock: ${name} record at byte ${offset} ${what}; skipped`,
  })
}

function parseMaster(path: string, name: string, bytes: Uint8Array, issues: MetaStockIssue[]): Parsed {
  if (bytes.length < MASTER_LEN) {
    issues.push({
      file: path,
      offset: 0,
      code: 'corrupt-index',
      message: `metastock: ${name} is ${bytes.length} bytes, shorter than its header`,
    })
    return { entries: [], broken: true }
  }
  const n = recordsOf(path, name, bytes, MASTER_LEN, 0, issues)
  const entries: IndexEntry[] = []
  for (let r = 1; r <= n; r++) {
    const o = r * MASTER_LEN
    const fileNumber = bytes[o]!
    if (fileNumber === 0) continue
    const recLen = bytes[o + 3]!
    let fields = bytes[o + 4]!
    if (fields < 5 || fields > 8) {
      if (recLen % 4 === 0 && recLen >= 20 && recLen <= 32) fields = recLen / 4
      else {
        badRecord(path, name, o, `(F${fileNumber}) has ${fields} fields and record length ${recLen}`, issues)
        continue
      }
    }
    const symbol = text(bytes, o + 36, o + 50)
    if (!validSymbol(symbol)) {
      badRecord(path, name, o, `(F${fileNumber}) has no readable symbol`, issues)
      continue
    }
    entries.push({
      index: 'MASTER',
      fileNumber,
      ext: 'DAT',
      symbol,
      name: text(bytes, o + 7, o + 23),
      fields,
      periodicity: String.fromCharCode(bytes[o + 33]!).trim(),
      offset: o,
    })
  }
  return { entries, broken: false }
}

function parseEmaster(path: string, name: string, bytes: Uint8Array, issues: MetaStockIssue[]): Parsed {
  if (bytes.length < EMASTER_LEN) {
    issues.push({
      file: path,
      offset: 0,
      code: 'corrupt-index',
      message: `metastock: ${name} is ${bytes.length} bytes, shorter than its header`,
    })
    return { entries: [], broken: true }
  }
  const broken = bytes.length % EMASTER_LEN !== 0
  const n = recordsOf(path, name, bytes, EMASTER_LEN, 0, issues)
  const entries: IndexEntry[] = []
  for (let r = 1; r <= n; r++) {
    const o = r * EMASTER_LEN
    const fileNumber = bytes[o + 2]!
    if (fileNumber === 0) continue
    const fields = bytes[o + 6]!
    if (fields < 5 || fields > 8) {
      badRecord(path, name, o, `(F${fileNumber}) has ${fields} fields`, issues)
      continue
    }
    const symbol = text(bytes, o + 11, o + 25)
    if (!validSymbol(symbol)) {
      badRecord(path, name, o, `(F${fileNumber}) has no readable symbol`, issues)
      continue
    }
    const long = text(bytes, o + 139, o + 192)
    entries.push({
      index: 'EMASTER',
      fileNumber,
      ext: 'DAT',
      symbol,
      name: long.length > 0 ? long : text(bytes, o + 32, o + 48),
      fields,
      periodicity: String.fromCharCode(bytes[o + 60]!).trim(),
      offset: o,
    })
  }
  return { entries, broken }
}

function parseXmaster(path: string, name: string, bytes: Uint8Array, issues: MetaStockIssue[]): Parsed {
  if (bytes.length < XMASTER_LEN) {
    issues.push({
      file: path,
      offset: 0,
      code: 'corrupt-index',
      message: `metastock: ${name} is ${bytes.length} bytes, shorter than its header`,
    })
    return { entries: [], broken: true }
  }
  if (u32le(bytes, 0) !== 0x4d58_fe5d) {
    issues.push({
      file: path,
      offset: 0,
      code: 'corrupt-index',
      message: `metastock: ${name} lacks the XMASTER magic 5D FE 58 4D`,
    })
  }
  const n = recordsOf(path, name, bytes, XMASTER_LEN, 10, issues)
  const entries: IndexEntry[] = []
  for (let r = 1; r <= n; r++) {
    const o = r * XMASTER_LEN
    const fileNumber = u16(bytes, o + 65)
    if (fileNumber === 0) continue
    const fields = popcount(bytes[o + 70]!)
    if (fields < 5 || fields > 8) {
      badRecord(path, name, o, `(F${fileNumber}) has field mask 0x${bytes[o + 70]!.toString(16)}`, issues)
      continue
    }
    const symbol = text(bytes, o + 1, o + 16)
    if (!validSymbol(symbol)) {
      badRecord(path, name, o, `(F${fileNumber}) has no readable symbol`, issues)
      continue
    }
    entries.push({
      index: 'XMASTER',
      fileNumber,
      ext: 'MWD',
      symbol,
      name: text(bytes, o + 16, o + 62),
      fields,
      periodicity: String.fromCharCode(bytes[o + 62]!).trim(),
      offset: o,
    })
  }
  return { entries, broken: false }
}

function readIndex(path: string, issues: MetaStockIssue[]): Uint8Array | null {
  try {
    return readFileSync(path)
  } catch (error) {
    issues.push({
      file: path,
      code: 'unreadable',
      message: `metastock: cannot read ${path}: ${(error as Error).message}`,
    })
    return null
  }
}

const DATA_NAME = /^f(\d+)\.(dat|mwd)$/i

/**
 * The data files of one directory that its indexes name, in file-number order (DAT before MWD), plus issues and the
 * subdirectories. MASTER is authoritative for `.DAT` files; EMASTER stands in when MASTER is absent or broken and
 * otherwise only lends long names to records that agree with MASTER; XMASTER adds the `.MWD` files.
 */
export function scanDirectory(dir: string): ScannedDirectory {
  const issues: MetaStockIssue[] = []
  const names = readdirSync(dir, { withFileTypes: true })
  const byLower = new Map<string, string>()
  const data = new Map<string, string>()
  const subdirectories: string[] = []
  for (const d of names) {
    if (d.isDirectory()) {
      subdirectories.push(join(dir, d.name))
      continue
    }
    byLower.set(d.name.toLowerCase(), d.name)
    const m = DATA_NAME.exec(d.name)
    if (m !== null) data.set(`${Number(m[1])}.${m[2]!.toUpperCase()}`, d.name)
  }
  subdirectories.sort()
  const parse = (
    lower: string,
    parser: (path: string, name: string, bytes: Uint8Array, issues: MetaStockIssue[]) => Parsed,
  ): Parsed | null => {
    const actual = byLower.get(lower)
    if (actual === undefined) return null
    const path = join(dir, actual)
    const bytes = readIndex(path, issues)
    return bytes === null ? { entries: [], broken: true } : parser(path, actual, bytes, issues)
  }
  const master = parse('master', parseMaster)
  const emaster = parse('emaster', parseEmaster)
  const xmaster = parse('xmaster', parseXmaster)

  const dat = datEntries(dir, master, emaster, byLower, issues)
  const files = locateDataFiles(dir, [...dat, ...(xmaster?.entries ?? [])], data, byLower, issues)
  files.sort((a, b) => (a.ext === b.ext ? a.fileNumber - b.fileNumber : a.ext === 'DAT' ? -1 : 1))
  return { files, issues, subdirectories }
}

/** The `.DAT` entries: MASTER's, with EMASTER's longer names where the two agree; EMASTER's when MASTER is broken. */
function datEntries(
  dir: string,
  master: Parsed | null,
  emaster: Parsed | null,
  byLower: Map<string, string>,
  issues: MetaStockIssue[],
): IndexEntry[] {
  if (master === null || master.broken) return emaster?.entries ?? []
  if (emaster !== null && !emaster.broken) {
    const byNumber = new Map(emaster.entries.map((e) => [e.fileNumber, e]))
    let shared = 0
    const conflicts: string[] = []
    for (const m of master.entries) {
      const e = byNumber.get(m.fileNumber)
      if (e === undefined) continue
      shared++
      if (e.symbol !== m.symbol) conflicts.push(`F${m.fileNumber} MASTER '${m.symbol}' vs EMASTER '${e.symbol}'`)
      else if (e.name.length > m.name.length) m.name = e.name
    }
    if (conflicts.length > 0) {
      issues.push({
        file: join(dir, byLower.get('emaster')!),
        code: 'index-conflict',
        message: `metastock: EMASTER disagrees with MASTER on ${conflicts.length} of ${shared} shared file numbers (${conflicts.slice(0, 3).join('; ')}${conflicts.length > 3 ? '; …' : ''}); using MASTER`,
      })
    }
  }
  return master.entries
}

/** The data file of each index entry (an issue for a repeated, missing or unreadable one, and for unindexed files). */
function locateDataFiles(
  dir: string,
  all: IndexEntry[],
  data: Map<string, string>,
  byLower: Map<string, string>,
  issues: MetaStockIssue[],
): DataFile[] {
  const seen = new Set<string>()
  const files: DataFile[] = []
  for (const e of all) {
    const key = `${e.fileNumber}.${e.ext}`
    const indexPath = join(dir, byLower.get(e.index.toLowerCase()) ?? e.index)
    if (seen.has(key)) {
      badRecord(indexPath, e.index, e.offset, `repeats file number ${e.fileNumber}`, issues)
      continue
    }
    seen.add(key)
    const actual = data.get(key)
    if (actual === undefined) {
      issues.push({
        file: join(dir, `F${e.fileNumber}.${e.ext}`),
        code: 'missing-file',
        message: `metastock: ${e.index} names F${e.fileNumber}.${e.ext} ('${e.symbol}') but it is not in ${dir}`,
      })
      continue
    }
    const path = join(dir, actual)
    let size: number
    try {
      size = statSync(path).size
    } catch (error) {
      issues.push({
        file: path,
        code: 'unreadable',
        message: `metastock: cannot read ${path}: ${(error as Error).message}`,
      })
      continue
    }
    files.push({ ...e, path, size })
  }
  for (const [key, actual] of data) {
    if (!seen.has(key)) {
      issues.push({
        file: join(dir, actual),
        code: 'unindexed-file',
        message: `metastock: ${actual} is not named by any index in ${dir}; not imported`,
      })
    }
  }
  return files
}
