import { resolve } from 'node:path'

/** This checkout's root: packages/corpus/src is three levels below it. */
export const REPO_ROOT: string = resolve(import.meta.dirname, '../../..')
