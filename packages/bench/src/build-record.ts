import { computeStats } from './compute-stats.ts'
import { fingerprint } from './fingerprint.ts'
import { quantile } from './quantile.ts'
import type { ChildReply } from './_protocol.ts'
import type { BenchRecord, EnvInfo, GitInfo, HostLoad, MachineInfo, RunConfig, RunSelection, Unit } from './types.ts'

/** A successful child reply. */
export type ProcessReply = Extract<ChildReply, { ok: true }>

/** What a record needs besides its processes' replies. */
export interface RecordContext {
  run: { id: string; label: string; started_at: string; git: GitInfo; selection: RunSelection }
  machine: MachineInfo
  env: EnvInfo
  config: RunConfig
  package: string
  suite: string
  case: string
  unit: Unit
}

function worst(loads: HostLoad[]): HostLoad {
  const max = (xs: (number | null)[]): number | null => {
    const known = xs.filter((x): x is number => x !== null)
    return known.length === 0 ? null : Math.max(...known)
  }
  return { other_cpu_cores: max(loads.map((l) => l.other_cpu_cores)), load1: max(loads.map((l) => l.load1)) }
}

/** Median of the known values (processes agree closely on allocations; the median ignores one that did not), or null. */
function median(xs: (number | null)[]): number | null {
  const known = Float64Array.from(xs.filter((x): x is number => x !== null)).sort()
  return known.length === 0 ? null : quantile(known, 0.5)
}

/**
 * One record from the replies of a case's processes, in the order they ran: samples process after
 * process, statistics over all of them, the window from the first process's start to the last
 * one's end, peak RSS and GC figures of the worst process, the processes' median allocations per op, and the busiest process's host load.
 *
 * @param ctx - Run, machine, config and case identity.
 * @param replies - One reply per process, at least one.
 * @returns The record (fingerprint filled in), not yet validated.
 */
export function buildRecord(ctx: RecordContext, replies: ProcessReply[]): BenchRecord {
  const first = replies[0]!
  const samples = replies.flatMap((r) => r.measurement.samples_ms)
  const stats = computeStats(samples)
  const rss = replies.map((r) => r.rss_peak_bytes)
  const record: BenchRecord = {
    schema: 'ttapi.bench/v2',
    run: ctx.run,
    machine: ctx.machine,
    env: ctx.env,
    config: ctx.config,
    fingerprint: fingerprint(ctx.env, ctx.config),
    window: {
      started_at: first.measurement.window.started_at,
      finished_at: replies.at(-1)!.measurement.window.finished_at,
    },
    package: ctx.package,
    suite: ctx.suite,
    case: ctx.case,
    unit: ctx.unit,
    items_per_op: first.items_per_op,
    bytes_per_op: first.bytes_per_op,
    samples_ms: samples,
    processes: replies.map((r) => ({
      n: r.measurement.samples_ms.length,
      window: r.measurement.window,
      rss_peak_bytes: r.rss_peak_bytes,
      host: r.host,
      alloc_bytes_per_op: r.measurement.alloc_bytes_per_op,
    })),
    host: worst(replies.map((r) => r.host)),
    stats,
    throughput: {
      items_per_s: first.items_per_op / (stats.p50_ms / 1000),
      bytes_per_s: first.bytes_per_op === null ? null : first.bytes_per_op / (stats.p50_ms / 1000),
    },
    memory: {
      rss_peak_bytes: Math.max(...rss),
      heap_used_delta_bytes: Math.max(...replies.map((r) => r.measurement.heap_used_delta_bytes)),
      gc_count: Math.max(...replies.map((r) => r.measurement.gc_count)),
      gc_ms: Math.max(...replies.map((r) => r.measurement.gc_ms)),
      alloc_bytes_per_op: median(replies.map((r) => r.measurement.alloc_bytes_per_op)),
    },
  }
  return record
}
