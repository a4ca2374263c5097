// The pipeline's programmatic API: one run, or a session that keeps its state between refreshes — what
// `ttapi run` and `ttapi watch` do, for a program that wants the summary as a value. Nothing in the
// workspace imports the package (its tests and benchmark import modules by path), so each export is
// `@public`: kept for callers outside the workspace.
/** @public One pipeline run (collect, import, analyse), as `ttapi run` does it. */
export { runPipeline } from './run-pipeline.ts'
/** @public A pipeline kept open between refreshes (pool, column buffers, summary lines), as `ttapi watch` does it. */
export { PipelineSession } from './pipeline-session.ts'
/** @public The base of every error the pipeline throws (`code` says which); callers branch on it. */
export { PipelineError } from './errors.ts'
export type { PipelineErrorCode } from './errors.ts'
export type * from './types.ts'
