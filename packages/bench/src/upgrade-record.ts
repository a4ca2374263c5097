import { machineOf } from './machine.ts'
import type { BenchRecord, BenchRecordV1 } from './types.ts'

/**
 * Reads a validated v1 line as a v2 record, losing nothing: the machine is derived from its `env`
 * exactly as the harness derives it today (`BENCH_MACHINE` did not exist, so from the hardware);
 * v1 did not record what a run selected, so the selection is the record's own case (a filter of
 * `^suite/case$`: a case missing from a v1 run is "not run", never "removed"); the samples form
 * one process spanning the record's window; the host load and allocations were not measured (nulls).
 * A v2 record is returned as it is, with `memory.alloc_bytes_per_op` null when it predates it.
 *
 * @param record - A record that passed `validateRecord`.
 * @returns The record in the v2 shape.
 * @example upgradeRecord(JSON.parse(v1Line)).machine.id // 'hw-…'
 */
export function upgradeRecord(record: BenchRecord | BenchRecordV1): BenchRecord {
  if (record.schema === 'ttapi.bench/v2') {
    if (record.memory.alloc_bytes_per_op !== undefined) return record
    // A v2 line written before allocations were measured: read as "not measured".
    return { ...record, memory: { ...record.memory, alloc_bytes_per_op: null } }
  }
  const { schema: _, run, ...rest } = record
  return {
    schema: 'ttapi.bench/v2',
    run: {
      ...run,
      selection: {
        filter: `^${record.suite}/${record.case}$`,
        packages: [record.package],
        profile: record.config.profile,
        processes: 1,
      },
    },
    machine: machineOf(record.env, {}),
    ...rest,
    memory: { ...rest.memory, alloc_bytes_per_op: null },
    processes: [
      {
        n: record.samples_ms.length,
        window: record.window,
        rss_peak_bytes: record.memory.rss_peak_bytes,
        host: { other_cpu_cores: null, load1: null },
      },
    ],
    host: { other_cpu_cores: null, load1: null },
  }
}
