/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- these tests break records on purpose, field by field */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { benchRecordSchema, validateRecord } from '../src/record-schema.ts'

// A record written by a real run (`pnpm bench -- --label scratch` in packages/bench).
const real = JSON.parse(readFileSync(new URL('./fixtures/record.json', import.meta.url), 'utf8')) as Record<string, any>
const copy = (): Record<string, any> => structuredClone(real)
// What `report import` adds to a record it made from another tool's output.
const IMPORTED = {
  format: 'hyperfine',
  tool: 'hyperfine',
  file: 'hyperfine.json',
  name: 'sleep 0.01',
  samples: 'raw',
  summary: null,
}

describe('benchRecordSchema / validateRecord', () => {
  it('accepts a real record', () => {
    expect(validateRecord(real)).toEqual({ ok: true })
  })
  it('is a strict draft-07 schema: every object closed, every property required but the documented late ones and `imported`', () => {
    // Added to v2 after lines without them were written (packages/bench/README.md, "The record").
    const late: Record<string, string[]> = {
      '': ['imported'],
      '/properties/memory': ['alloc_bytes_per_op'],
      '/properties/processes/items': ['alloc_bytes_per_op'],
    }
    expect(benchRecordSchema['$schema']).toBe('http://json-schema.org/draft-07/schema#')
    new Ajv({ strict: true, allowUnionTypes: true }).compile(benchRecordSchema)
    const walk = (s: any, at: string): void => {
      if (s && typeof s === 'object') {
        if (s.type === 'object') {
          expect(s.additionalProperties, at).toBe(false)
          const required = Object.keys(s.properties).filter((k) => !(late[at] ?? []).includes(k))
          expect([...s.required].sort(), at).toEqual(required.sort())
        }
        for (const [k, v] of Object.entries(s)) walk(v, `${at}/${k}`)
      }
    }
    walk(benchRecordSchema, '')
  })
  it('accepts a v2 line written before allocations were measured, and one with them; refuses a negative figure', () => {
    const before = copy()
    delete before.memory.alloc_bytes_per_op
    for (const p of before.processes) delete p.alloc_bytes_per_op
    expect(validateRecord(before)).toEqual({ ok: true })
    const withAlloc = copy()
    withAlloc.memory.alloc_bytes_per_op = 1016
    for (const p of withAlloc.processes) p.alloc_bytes_per_op = 1016
    expect(validateRecord(withAlloc)).toEqual({ ok: true })
    withAlloc.memory.alloc_bytes_per_op = -1
    const bad = validateRecord(withAlloc)
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/\/memory\/alloc_bytes_per_op: must be >= 0/)
  })
  it.each([
    ['a missing field', (r: any) => delete r.memory, /must have required property 'memory'/],
    ['a missing nested field', (r: any) => delete r.stats.p95_ms, /\/stats: must have required property 'p95_ms'/],
    ['an extra field', (r: any) => (r.extra = 1), /must NOT have additional properties \(extra\)/],
    [
      'an extra nested field',
      (r: any) => (r.env.hostname = 'x'),
      /\/env: must NOT have additional properties \(hostname\)/,
    ],
    ['an undefined-for-null bytes_per_op', (r: any) => delete r.bytes_per_op, /bytes_per_op/],
    ['null where not allowed', (r: any) => (r.stats.p50_ms = null), /\/stats\/p50_ms: must be number/],
    ['a wrong schema tag', (r: any) => (r.schema = 'ttapi.bench/v3'), /\/schema: must be equal to constant/],
    ['a bad unit', (r: any) => (r.unit = 'widgets'), /\/unit: must be equal to one of the allowed values/],
    ['a bad case name', (r: any) => (r.case = 'Has Space'), /\/case: must match pattern/],
    ['an unsanitised label', (r: any) => (r.run.label = 'Main Branch'), /\/run\/label: must match pattern/],
    [
      'a non-UTC timestamp',
      (r: any) => (r.window.started_at = '2026-11-27 10:00'),
      /\/window\/started_at: must match pattern/,
    ],
    ['samples as strings', (r: any) => (r.samples_ms = ['1']), /\/samples_ms\/0: must be number/],
    ['no samples', (r: any) => (r.samples_ms = []), /\/samples_ms: must NOT have fewer than 1 items/],
    [
      'n not matching samples',
      (r: any) => (r.stats.n = r.samples_ms.length + 1),
      /\/stats\/n: must equal samples_ms length/,
    ],
    ['a long fingerprint', (r: any) => (r.fingerprint = 'abc'), /\/fingerprint: must match pattern/],
    ['an engine neither the harness nor an import writes', (r: any) => (r.config.engine = 'jmh'), /\/config\/engine/],
    [
      'an imported record of an unknown kind of samples',
      (r: any) => (r.imported = { ...IMPORTED, samples: 'some' }),
      /\/imported\/samples: must be equal to one of the allowed values/,
    ],
    [
      'an imported summary without its mean',
      (r: any) => (r.imported = { ...IMPORTED, samples: 'summary', summary: { n: 5, sd_ms: 1, rme_pct: null } }),
      /\/imported\/summary/,
    ],
  ])('rejects %s', (_what, mutate, msg) => {
    const r = copy()
    mutate(r)
    const v = validateRecord(r)
    expect(v.ok).toBe(false)
    if (!v.ok) expect(v.errors.join('\n')).toMatch(msg)
  })
  it('accepts an imported record (raw samples, or a summary) and a harness record without `imported`', () => {
    const raw = copy()
    raw.config.engine = 'hyperfine'
    raw.imported = IMPORTED
    expect(validateRecord(raw)).toEqual({ ok: true })
    const summary = copy()
    summary.config.engine = 'benchmarkjs'
    summary.imported = {
      ...IMPORTED,
      format: 'benchmarkjs',
      samples: 'summary',
      summary: { n: null, mean_ms: 0.0015, sd_ms: null, rme_pct: 7.9 },
    }
    expect(validateRecord(summary)).toEqual({ ok: true })
    expect(real.imported).toBeUndefined()
  })
  it('rejects non-objects', () => {
    expect(validateRecord(null).ok).toBe(false)
    expect(validateRecord([]).ok).toBe(false)
    expect(validateRecord('{}').ok).toBe(false)
  })
  it('accepts nulls where the contract allows them', () => {
    const r = copy()
    r.run.git = { commit: null, branch: null, dirty: null }
    r.env.cpu_model = null
    r.env.glibc_tunables = null
    r.bytes_per_op = null
    r.throughput.bytes_per_s = null
    r.memory = { rss_peak_bytes: null, heap_used_delta_bytes: null, gc_count: null, gc_ms: null }
    expect(validateRecord(r)).toEqual({ ok: true })
  })
})
