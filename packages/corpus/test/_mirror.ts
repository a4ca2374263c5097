// A file server on 127.0.0.1 for the download tests: Range support, and faults per path.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How the server treats one path. */
export interface MirrorFile {
  /** The bytes served. */
  body: Uint8Array
  /** Cut the connection after this many body bytes on the first `cutTimes` responses. */
  cutAfter?: number
  /** How many responses are cut. @default 1 */
  cutTimes?: number
  /** Answer a Range request with the whole file (200), as some servers do. */
  ignoreRange?: boolean
  /** Answer with this status and no body. */
  status?: number
  /** Answer `status` only to the first this many requests, then serve the file. @default every request */
  statusTimes?: number
}

/** A running mirror: its origin, per-path request log (the Range header or '-'), and close. */
export interface Mirror {
  url: string
  requests: Map<string, string[]>
  close: () => Promise<void>
}

/** Serves `files` (URL path → file) until closed. */
export async function startMirror(files: Map<string, MirrorFile>): Promise<Mirror> {
  const requests = new Map<string, string[]>()
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const log = requests.get(path) ?? []
    requests.set(path, log)
    const range = req.headers.range
    log.push(range ?? '-')
    const f = files.get(path)
    if (f === undefined) return void res.writeHead(404).end()
    if (f.status !== undefined && log.length <= (f.statusTimes ?? Infinity)) return void res.writeHead(f.status).end()
    let start = 0
    const m = /^bytes=(\d+)-$/.exec(range ?? '')
    if (m !== null && f.ignoreRange !== true) {
      start = Number(m[1])
      if (start >= f.body.length) return void res.writeHead(416, { 'content-range': `bytes */${f.body.length}` }).end()
      res.writeHead(206, {
        'content-length': f.body.length - start,
        'content-range': `bytes ${start}-${f.body.length - 1}/${f.body.length}`,
      })
    } else res.writeHead(200, { 'content-length': f.body.length, 'accept-ranges': 'bytes' })
    const body = f.body.subarray(start)
    if (f.cutAfter !== undefined && log.length <= (f.cutTimes ?? 1)) {
      res.write(body.subarray(0, f.cutAfter), () => {
        // Give the client the bytes, then break the connection mid-body.
        setTimeout(() => res.socket?.destroy(), 20)
      })
      return
    }
    res.end(body)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections()
        server.close(() => ok())
      }),
  }
}
