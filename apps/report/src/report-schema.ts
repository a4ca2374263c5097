type Schema = Record<string, unknown>

const num: Schema = { type: 'number' }
const nullableNum: Schema = { type: ['number', 'null'] }
const nullableString: Schema = { type: ['string', 'null'] }
const str: Schema = { type: 'string' }
const statuses = [
  'regressed',
  'improved',
  'unchanged',
  'inconclusive',
  'added',
  'removed',
  'not_run',
  'not_judged',
  'no_baseline',
]
const verdicts = ['regressed', 'improved', 'unchanged', 'inconclusive']

function obj(properties: Record<string, Schema>): Schema {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties }
}

const machine = obj({ id: str, name: str, source: { enum: ['env', 'hardware'] } })
const change = obj({ baseline: nullableNum, current: nullableNum, changePct: nullableNum })
const figures = obj({
  n: { type: 'integer', minimum: 0 },
  p50Ms: num,
  p95Ms: num,
  itemsPerS: num,
  rssPeakBytes: nullableNum,
  gcMs: nullableNum,
  allocBytesPerOp: nullableNum,
  processAllocBytesPerOp: { type: 'array', items: nullableNum },
  processes: { type: 'integer', minimum: 1 },
  processP50Ms: { type: 'array', items: num },
  otherCpuCores: nullableNum,
  runId: str,
  machine,
})
const interval = obj({ ratio: num, low: num, high: num })
const thresholds = obj({ p50: nullableNum, p95: nullableNum, alloc: nullableNum })
const runSummary = obj({
  id: str,
  label: str,
  startedAt: str,
  commit: nullableString,
  branch: nullableString,
  dirty: { type: ['boolean', 'null'] },
  fingerprint: str,
  fingerprints: { type: 'array', items: str },
  env: { type: 'object' },
  config: { type: 'object' },
  cases: { type: 'integer', minimum: 0 },
  machine,
  busy: { type: 'boolean' },
})
const scalar: Schema = { type: ['string', 'number', 'boolean', 'null'] }

/**
 * JSON Schema (draft-07) of the `--format json` output ({@link JsonReport}). Every field is
 * required; `null` marks a value one side does not have.
 */
export const reportJsonSchema: Record<string, unknown> = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ttapi.dev/schemas/report-v2.json',
  title: 'ttapi.report/v2: baseline vs current',
  ...obj({
    schema: { const: 'ttapi.report/v2' },
    generatedAt: str,
    history: obj({
      dir: str,
      files: { type: 'integer', minimum: 0 },
      records: { type: 'integer', minimum: 0 },
      badLines: {
        type: 'array',
        items: {
          ...obj({ file: str, line: { type: 'integer', minimum: 1 }, reason: str }),
          properties: {
            file: str,
            line: { type: 'integer', minimum: 1 },
            reason: str,
            runs: { type: 'array', items: str },
          },
        },
      },
    }),
    warnings: { type: 'array', items: str },
    summary: { type: 'array', items: str },
    notes: { type: 'array', items: str },
    baseline: { oneOf: [runSummary, { type: 'null' }] },
    baselineRuns: { type: 'array', items: runSummary },
    noComparable: { type: ['string', 'null'] },
    current: runSummary,
    cases: {
      type: 'array',
      items: obj({
        package: str,
        suite: str,
        case: str,
        unit: { enum: ['symbols', 'rows', 'bytes', 'ops'] },
        status: { enum: statuses },
        notJudged: { enum: ['other_machine', 'other_config', 'busy', null] },
        unstable: {
          oneOf: [
            obj({ side: { enum: ['baseline', 'current'] }, spread: num, processes: { type: 'integer', minimum: 2 } }),
            { type: 'null' },
          ],
        },
        withinProcessOnly: { type: 'boolean' },
        reason: str,
        baseline: { oneOf: [figures, { type: 'null' }] },
        current: { oneOf: [figures, { type: 'null' }] },
        p50: change,
        p95: change,
        throughput: change,
        rssPeak: change,
        gcMs: change,
        alloc: change,
        intervals: { oneOf: [obj({ p50: interval, p95: interval }), { type: 'null' }] },
        pValue: nullableNum,
        qValue: nullableNum,
        metrics: {
          type: 'array',
          items: obj({ metric: { enum: ['p50', 'p95', 'alloc'] }, thresholdPct: num, verdict: { enum: verdicts } }),
        },
        fingerprintMismatch: { type: 'boolean' },
      }),
    },
    counts: obj(Object.fromEntries(statuses.map((s) => [s, { type: 'integer', minimum: 0 }]))),
    fingerprintMismatch: { type: 'boolean' },
    envDifferences: { type: 'array', items: obj({ field: str, baseline: scalar, current: scalar }) },
    settings: obj({ alpha: num, resamples: { type: 'integer' }, seed: { type: 'integer' }, thresholds }),
  }),
}
