// Pending background writes survive a normal exit. While a cache has writes queued it is registered
// here. `beforeExit` (the loop ran dry) starts an async flush; `exit` (also reached through
// `process.exit()`, where no more callbacks run) writes whatever is still pending synchronously.
// Listeners are installed only while some cache has pending writes, so importing has no side effect.

/** What the hooks need from a cache. */
export interface ExitFlushable {
  flush(): Promise<void>
  flushSync(): void
}

const pending = new Set<ExitFlushable>()

function onBeforeExit(): void {
  for (const cache of pending) void cache.flush().catch(() => undefined)
}

function onExit(): void {
  for (const cache of pending) {
    try {
      cache.flushSync()
    } catch {
      // Exiting: nothing left to report to; the old file (if any) stays intact.
    }
  }
}

/** Registers a cache with pending writes. */
export function registerPending(cache: ExitFlushable): void {
  if (pending.size === 0) {
    process.on('beforeExit', onBeforeExit)
    process.on('exit', onExit)
  }
  pending.add(cache)
}

/** Unregisters a cache whose writes have all landed. */
export function unregisterPending(cache: ExitFlushable): void {
  if (!pending.delete(cache) || pending.size > 0) return
  process.off('beforeExit', onBeforeExit)
  process.off('exit', onExit)
}
