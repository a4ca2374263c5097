import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TtlCache } from '../src/index.ts'
import { tempDir } from './_helpers.ts'

const CHILD = join(import.meta.dirname, '_child.ts')

function runToExit(args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

describe('pending background writes on exit', () => {
  it('are written when the process calls process.exit() right after queuing them', async () => {
    const dir = await tempDir()
    expect(await runToExit(['exit-now', dir, 'k'])).toBe(0)
    expect(await new TtlCache({ dir }).get('k')).toEqual({ written: 'at exit' })
  })

  it('are written when the event loop runs dry (normal end of a script)', async () => {
    const dir = await tempDir()
    expect(await runToExit(['exit-natural', dir, 'k'])).toBe(0)
    expect(await new TtlCache({ dir }).get('k')).toEqual({ written: 'before the loop ran dry' })
  })
})
