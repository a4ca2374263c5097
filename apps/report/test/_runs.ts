// Test helpers: runs built in memory from synthetic records (no DuckDB), history dirs on disk, the CLI in a process.
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRecord } from '@ttapi/bench'
import { syntheticRecord } from '../src/_synthetic.ts'
import type { SyntheticCase, SyntheticRun } from '../src/_synthetic.ts'
import type { CommandIO } from '../src/commands/_common.ts'
import type { Run } from '../src/types.ts'

export function makeRun(
  run: SyntheticRun,
  cases: SyntheticCase[],
  file = `${run.startedAt.slice(0, 10)}_${run.label}.ndjson`,
): Run {
  const records = cases.map((c, i) => ({ record: syntheticRecord(run, c), file, line: i + 1 }))
  const r = records[0]!.record
  return {
    id: run.id,
    label: run.label,
    startedAt: run.startedAt,
    date: run.startedAt.slice(0, 10),
    commit: run.commit,
    branch: run.label,
    dirty: false,
    fingerprint: r.fingerprint,
    fingerprints: [r.fingerprint],
    machine: r.machine,
    selectionKnown: true,
    selections: [
      ...new Map(records.map((x) => [JSON.stringify(x.record.run.selection), x.record.run.selection])).values(),
    ],
    env: r.env,
    config: r.config,
    files: [file],
    records,
  }
}

export function tempDir(prefix = 'ttapi-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function writeLines(dir: string, file: string, lines: (BenchRecord | string)[]): void {
  writeFileSync(join(dir, file), `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`)
}

/** A CommandIO that collects what a command writes to stdout and stderr (cwd: this process's). */
export function captureIO(): { out: string[]; err: string[]; io: CommandIO } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), cwd: process.cwd(), color: false },
  }
}

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

/** What a CLI process printed, and its exit code (99 when it had none). */
export interface CliResult {
  /** The exit code. */
  code: number
  /** Everything written to stdout. */
  stdout: string
  /** Everything written to stderr. */
  stderr: string
}

/** Runs `report ARGS` as a subprocess under tsx, as `pnpm report` does, without colour; in the package's folder by default. */
export function runReport(args: string[], cwd: string = PACKAGE_DIR): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr }),
    )
  })
}
