// Messages between the runner (parent) and a case's child process over the IPC channel.
import type { Measurement } from './measure-case.ts'
import type { HostLoad, Profile, RunConfig } from './types.ts'

/** Parent to child: which case to run and how. */
export interface ChildRequest {
  benchFile: string
  caseName: string
  profile: Profile
  config: RunConfig
  workspaceRoot: string
  injectFactor: number
}

/** Child to parent: the measurement, or the error that failed the case. */
export type ChildReply =
  | {
      ok: true
      measurement: Measurement
      items_per_op: number
      bytes_per_op: number | null
      rss_peak_bytes: number
      glibc_tunables: string | null
      host: HostLoad
    }
  | { ok: false; error: string }
