import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The default cache directory: `$XDG_CACHE_HOME/ttapi` when that variable is set, else `~/.cache/ttapi`.
 * @param env - Environment to read. @default process.env
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'ttapi')
}
