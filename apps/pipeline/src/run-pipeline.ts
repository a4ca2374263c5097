import { openRunContext } from './_run-context.ts'
import { finishRun } from './_finish-run.ts'
import { runStages } from './_run-stages.ts'
import type { Terminal } from './terminal.ts'
import type { RunOptions, RunResult } from './types.ts'

/**
 * Runs the pipeline once — collect quotes, import the history, analyse — then writes summary.md, summary.json and the
 * stage history to the out directory: what `ttapi run` does. Expected failures (unreachable source, failed symbols,
 * a bad data directory, a stale or corrupt cache) are reported in the result, never thrown. A long-lived process
 * refreshing the same inputs uses a {@link PipelineSession}.
 * @param options - See {@link RunOptions}.
 * @param terminal - Where progress and results are printed.
 * @param env - Environment (`TTAPI_HOME`).
 */
export async function runPipeline(
  options: RunOptions,
  terminal: Terminal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  const startedAt = new Date()
  const mode = options.mode ?? 'cold'
  const ctx = await openRunContext(options, terminal, env, null)
  const out = await runStages(ctx, mode)
  return finishRun(ctx, mode, startedAt, out)
}
