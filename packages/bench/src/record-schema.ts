import { Ajv } from 'ajv'
import type { ValidateFunction } from 'ajv'
import { IMPORT_FORMATS } from './import-formats.ts'

type JsonSchema = Record<string, unknown>

const num: JsonSchema = { type: 'number' }
const nonNeg: JsonSchema = { type: 'number', minimum: 0 }
const nullableNonNeg: JsonSchema = { type: ['number', 'null'], minimum: 0 }
const nullableString: JsonSchema = { type: ['string', 'null'] }
const isoUtc: JsonSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' }
const name: JsonSchema = { type: 'string', pattern: '^[a-z0-9_]+$' }

function obj(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties }
}

const gitSchema = obj({ commit: nullableString, branch: nullableString, dirty: { type: ['boolean', 'null'] } })
const windowSchema = obj({ started_at: isoUtc, finished_at: isoUtc })
const hostSchema = obj({ other_cpu_cores: nullableNonNeg, load1: nullableNonNeg })

/**
 * Where an imported record came from (`report import`): optional, present only on records another
 * harness measured; a record without it is the harness's own.
 */
const importedSchema = obj({
  format: { enum: [...IMPORT_FORMATS] },
  tool: nullableString,
  file: { type: 'string', minLength: 1 },
  name: { type: 'string', minLength: 1 },
  samples: { enum: ['raw', 'summary'] },
  summary: {
    oneOf: [
      { type: 'null' },
      obj({
        n: { type: ['integer', 'null'], minimum: 1 },
        mean_ms: nonNeg,
        sd_ms: nullableNonNeg,
        rme_pct: nullableNonNeg,
      }),
    ],
  },
})

/** The fields v1 and v2 share. */
const common: Record<string, JsonSchema> = {
  env: obj({
    os: nullableString,
    os_release: nullableString,
    arch: nullableString,
    cpu_model: nullableString,
    cores: { type: ['integer', 'null'], minimum: 1 },
    mem_bytes: nullableNonNeg,
    node: nullableString,
    v8: nullableString,
    ci: { type: ['boolean', 'null'] },
    glibc_tunables: nullableString,
  }),
  config: obj({
    engine: { enum: ['benny', ...IMPORT_FORMATS] },
    warmup_ms: nonNeg,
    measurement_ms: nonNeg,
    min_samples: { type: 'integer', minimum: 1 },
    profile: { enum: ['quick', 'full'] },
  }),
  fingerprint: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  window: windowSchema,
  package: { type: 'string', minLength: 1 },
  suite: name,
  case: name,
  unit: { enum: ['symbols', 'rows', 'bytes', 'ops'] },
  items_per_op: { type: 'number', exclusiveMinimum: 0 },
  bytes_per_op: nullableNonNeg,
  samples_ms: { type: 'array', minItems: 1, items: nonNeg },
  stats: obj({
    n: { type: 'integer', minimum: 1 },
    mean_ms: nonNeg,
    p50_ms: nonNeg,
    p95_ms: nonNeg,
    p99_ms: nonNeg,
    min_ms: nonNeg,
    max_ms: nonNeg,
    sd_ms: nonNeg,
    rme_pct: num,
  }),
  throughput: obj({ items_per_s: nonNeg, bytes_per_s: nullableNonNeg }),
  memory: obj({
    rss_peak_bytes: nullableNonNeg,
    heap_used_delta_bytes: { type: ['number', 'null'] },
    gc_count: { type: ['integer', 'null'], minimum: 0 },
    gc_ms: nullableNonNeg,
  }),
}

/** `obj` plus fields that may be absent (added to v2 after lines without them were written). */
function objWithOptional(properties: Record<string, JsonSchema>, optional: Record<string, JsonSchema>): JsonSchema {
  return { ...obj(properties), properties: { ...properties, ...optional } }
}

/** `schema` plus optional properties: listed, typed, but not in `required`. */
function withOptional(schema: JsonSchema, optional: Record<string, JsonSchema>): JsonSchema {
  return { ...schema, properties: { ...(schema.properties as Record<string, JsonSchema>), ...optional } }
}

/** v2's `memory`: v1's plus `alloc_bytes_per_op` (optional, so earlier v2 lines still validate). */
const memoryV2 = objWithOptional(common['memory']!.properties as Record<string, JsonSchema>, {
  alloc_bytes_per_op: nullableNonNeg,
})

/**
 * JSON Schema (draft-07) of one result line as the harness writes it (`ttapi.bench/v2`): every
 * field required, `additionalProperties: false` everywhere, `null` only where the contract allows it;
 * `memory.alloc_bytes_per_op` and `processes[].alloc_bytes_per_op` may be absent (added later);
 * the optional `imported` marks a record `report import` made from another tool's output
 * (so every line written before it still validates).
 */
export const benchRecordSchema: Record<string, unknown> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ttapi.dev/schemas/bench-record-v2.json',
  title: 'ttapi.bench/v2 result record',
  ...withOptional(
    obj({
      schema: { const: 'ttapi.bench/v2' },
      run: obj({
        id: { type: 'string', minLength: 1 },
        label: { type: 'string', pattern: '^[a-z0-9._-]+$' },
        started_at: isoUtc,
        git: gitSchema,
        selection: obj({
          filter: nullableString,
          packages: { type: 'array', items: { type: 'string', minLength: 1 } },
          profile: { enum: ['quick', 'full'] },
          processes: { type: 'integer', minimum: 1 },
        }),
      }),
      machine: obj({
        id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
        name: { type: 'string', minLength: 1 },
        source: { enum: ['env', 'hardware'] },
      }),
      ...common,
      memory: memoryV2,
      processes: {
        type: 'array',
        minItems: 1,
        items: objWithOptional(
          {
            n: { type: 'integer', minimum: 1 },
            window: windowSchema,
            rss_peak_bytes: nullableNonNeg,
            host: hostSchema,
          },
          { alloc_bytes_per_op: nullableNonNeg },
        ),
      },
      host: hostSchema,
    }),
    { imported: importedSchema },
  ),
}

/** JSON Schema of a `ttapi.bench/v1` line (written before 2026-12): still read, never written. */
export const benchRecordSchemaV1: Record<string, unknown> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ttapi.dev/schemas/bench-record-v1.json',
  title: 'ttapi.bench/v1 result record',
  ...obj({
    schema: { const: 'ttapi.bench/v1' },
    run: obj({
      id: { type: 'string', minLength: 1 },
      label: { type: 'string', pattern: '^[a-z0-9._-]+$' },
      started_at: isoUtc,
      git: gitSchema,
    }),
    ...common,
  }),
}

let compiledV2: ValidateFunction | undefined
let compiledV1: ValidateFunction | undefined

/** Result of {@link validateRecord}. */
export type ValidateRecordResult = { ok: true } | { ok: false; errors: string[] }

/**
 * Checks one parsed result line against {@link benchRecordSchema} (v2) or, for a line whose
 * `schema` is `ttapi.bench/v1`, {@link benchRecordSchemaV1}; plus `stats.n` equal to the number of
 * samples and, in v2, the processes' `n` adding up to it. Pure apart from compiling the schemas once.
 *
 * @param value - A parsed JSON value.
 * @returns `{ ok: true }` or every violation as `path: message`.
 */
export function validateRecord(value: unknown): ValidateRecordResult {
  const v1 = typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === 'ttapi.bench/v1'
  const ajv = (): Ajv => new Ajv({ allErrors: true, strict: true, allowUnionTypes: true })
  const compiled = v1
    ? (compiledV1 ??= ajv().compile(benchRecordSchemaV1))
    : (compiledV2 ??= ajv().compile(benchRecordSchema))
  if (!compiled(value)) {
    const errors = (compiled.errors ?? []).map((e) => {
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : ''
      return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`
    })
    return { ok: false, errors }
  }
  const r = value as { samples_ms: unknown[]; stats: { n: number }; processes?: { n: number }[] }
  if (r.stats.n !== r.samples_ms.length) {
    return { ok: false, errors: [`/stats/n: must equal samples_ms length ${r.samples_ms.length}, got ${r.stats.n}`] }
  }
  if (r.processes !== undefined) {
    const sum = r.processes.reduce((a, p) => a + p.n, 0)
    if (sum !== r.samples_ms.length)
      return {
        ok: false,
        errors: [`/processes: their n add up to ${sum}, samples_ms holds ${r.samples_ms.length}`],
      }
  }
  return { ok: true }
}
