// Child process entry: runs one case (setup once, benny measurement, teardown once) and replies
// to the parent over IPC. Started by run-case.ts as `node --import tsx/esm _child.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ChildReply, ChildRequest } from './_protocol.ts'
import { validateSuite } from './define-suite.ts'
import { cpuSnapshot, hostLoadBetween } from './host-load.ts'
import { measureOp } from './measure-case.ts'
import { writeSourceMapsForProfile } from './_source-maps.ts'
import type { CaseContext } from './types.ts'

// `Name: message (at file:line:col)`: the first stack frame says where the case failed.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return `thrown non-error: ${String(error)}`
  const frame = /\n\s+at (?:.*? \()?(.+?:\d+:\d+)\)?/.exec(error.stack ?? '')?.[1]
  return `${error.name}: ${error.message}${frame ? ` (at ${frame.replace(/^file:\/\//, '')})` : ''}`
}

let replied = false
function reply(msg: ChildReply): void {
  if (replied) return
  replied = true
  writeSourceMapsForProfile()
  // Exit right away: a case that leaves a handle open must not keep the child alive (--cpu-prof still writes on exit).
  process.send!(msg, () => process.exit(0))
}

// A stray rejection or exception (e.g. from a case's background work) fails the case, never hangs it.
process.on('unhandledRejection', (reason) => {
  reply({ ok: false, error: `unhandled rejection: ${describe(reason)}` })
})
process.on('uncaughtException', (error) => {
  reply({ ok: false, error: `uncaught exception: ${describe(error)}` })
})

async function runCase(req: ChildRequest): Promise<ChildReply> {
  const mod = (await import(pathToFileURL(req.benchFile).href)) as { default?: unknown }
  const suite = mod.default
  validateSuite(suite, req.benchFile)
  const c = suite.cases.find((x) => x.name === req.caseName)
  if (!c) throw new Error(`bench: case ${req.caseName} not found in ${req.benchFile}`)
  const tmpDir = mkdtempSync(path.join(os.tmpdir(), `ttapi-bench-${suite.suite}-${c.name}-`))
  const ctx: CaseContext = { profile: req.profile, workspaceRoot: req.workspaceRoot, tmpDir }
  try {
    const state: unknown = c.setup ? await c.setup(ctx) : undefined
    const items = typeof c.itemsPerOp === 'function' ? c.itemsPerOp(state, ctx) : c.itemsPerOp
    const bytesRaw = typeof c.bytesPerOp === 'function' ? c.bytesPerOp(state, ctx) : c.bytesPerOp
    const bytes = bytesRaw ?? null
    if (!(typeof items === 'number' && Number.isFinite(items) && items > 0)) {
      throw new Error(`bench: Expected \`itemsPerOp\` to be a positive number, got \`${String(items)}\``)
    }
    if (bytes !== null && !(typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0)) {
      throw new Error(`bench: Expected \`bytesPerOp\` to be a number >= 0 or null, got \`${String(bytes)}\``)
    }
    let measurement
    // The machine's CPU around warm-up and measurement: what other processes took from this case.
    const before = cpuSnapshot()
    let after = before
    try {
      measurement = await measureOp(() => c.fn(state), {
        config: req.config,
        injectFactor: req.injectFactor,
        name: c.name,
        allocations: process.env['BENCH_ALLOC'] !== '0',
      })
      after = cpuSnapshot()
    } finally {
      if (c.teardown) await c.teardown(state)
    }
    return {
      ok: true,
      measurement,
      items_per_op: items,
      bytes_per_op: bytes,
      rss_peak_bytes: process.resourceUsage().maxRSS * 1024,
      glibc_tunables: process.env['GLIBC_TUNABLES'] || null,
      host: hostLoadBetween(before, after),
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true })
  }
}

process.once('message', (req: ChildRequest) => {
  runCase(req).then(reply, (error: unknown) => reply({ ok: false, error: describe(error) }))
})
